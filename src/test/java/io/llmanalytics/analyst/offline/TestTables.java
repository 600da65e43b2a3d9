package io.llmanalytics.analyst.offline;

import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.csv.CsvTableReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;

/** Tables for the offline analyst's tests: DABench tables and a generated sales table, with their schemas as uploads make them. */
public final class TestTables {

    private TestTables() {}

    /** The schema the service infers for a CSV file (same reader and profile settings as uploads). */
    public static DatasetSchema schema(Path csv, String name) {
        try {
            Path canonical = Files.createTempFile("offline-canonical", ".csv");
            try {
                return new CsvTableReader(
                                new ProfileOptions(5, 10_000, 5, Long.MAX_VALUE), new TableLimits(10_000, 1_000_000))
                        .read(csv, name, canonical)
                        .schema();
            } finally {
                Files.deleteIfExists(canonical);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema of a small table given as CSV text. */
    public static DatasetSchema csv(String name, String text) {
        try {
            Path file = Files.createTempFile(name, ".csv");
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8);
                return schema(file, name);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path dabench(String file) {
        return Corpus.file("dabench/tables/" + file);
    }

    public static DatasetSchema dabenchSchema(String file) {
        return schema(dabench(file), file.replaceAll("\\.csv$", ""));
    }

    public static DatasetSchema salesSchema() {
        return csv("sales", salesCsv());
    }

    /**
     * A sales table as a small shop would export it: 600 order lines over 2023 and 2024, four categories, twelve
     * products, four regions; revenue = quantity x price. Deterministic (fixed seed).
     */
    public static String salesCsv() {
        String[][] products = {
            {"Electronics", "Laptop", "899.00"}, {"Electronics", "Headphones", "59.90"},
            {"Electronics", "Monitor", "189.50"}, {"Furniture", "Desk", "249.00"},
            {"Furniture", "Office Chair", "149.00"}, {"Furniture", "Bookcase", "89.90"},
            {"Office Supplies", "Paper", "4.99"}, {"Office Supplies", "Pens", "2.49"},
            {"Office Supplies", "Stapler", "7.90"}, {"Clothing", "T-Shirt", "14.90"},
            {"Clothing", "Jacket", "79.00"}, {"Clothing", "Sneakers", "64.50"}
        };
        String[] regions = {"North", "South", "East", "West"};
        double[] regionWeight = {0.35, 0.25, 0.25, 0.15};
        Random random = new Random(20240611);
        StringBuilder csv = new StringBuilder("date,category,product,region,quantity,price,revenue\n");
        LocalDate start = LocalDate.of(2023, 1, 1);
        for (int i = 0; i < 600; i++) {
            LocalDate date = start.plusDays(random.nextInt(731));
            // more sales later on: a rising trend
            if (random.nextDouble() < 0.3) {
                date = start.plusDays(365 + random.nextInt(366));
            }
            String[] product = products[random.nextInt(products.length)];
            double r = random.nextDouble();
            int region = 0;
            for (double acc = regionWeight[0]; r > acc && region < 3; acc += regionWeight[++region]) {}
            int quantity = 1 + random.nextInt(product[0].equals("Office Supplies") ? 20 : 5);
            double price = Double.parseDouble(product[2]);
            double revenue = Math.round(quantity * price * 100) / 100.0;
            csv.append(date)
                    .append(',')
                    .append(product[0])
                    .append(',')
                    .append(product[1])
                    .append(',')
                    .append(regions[region])
                    .append(',')
                    .append(quantity)
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.2f", price))
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.2f", revenue))
                    .append('\n');
        }
        return csv.toString();
    }
}

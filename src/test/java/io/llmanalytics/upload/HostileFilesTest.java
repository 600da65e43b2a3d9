package io.llmanalytics.upload;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Hostile files get a clear 4xx or are ingested safely, within bounded memory and time. */
@QuarkusTest
class HostileFilesTest {

    @Test
    void anXlsxZipBombIsRefused() throws IOException {
        // sheet XML of ~300 MB that compresses ~1000:1, beyond POI's 1:100 inflate-ratio guard
        byte[] bomb = workbook(
                out -> {
                    out.write(
                            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                                    .getBytes(StandardCharsets.UTF_8));
                    byte[] row =
                            "<row><c t=\"inlineStr\"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>"
                                    .getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < 5_000_000; i++) {
                        out.write(row);
                    }
                    out.write("</sheetData></worksheet>".getBytes(StandardCharsets.UTF_8));
                },
                null);
        assertTrue(bomb.length < 2_000_000, "the bomb is small: " + bomb.length);
        long start = System.nanoTime();
        Response r = Uploads.upload("bomb.xlsx", bomb);
        r.then().statusCode(400).contentType("application/problem+json").body("detail", containsString("bomb"));
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused quickly");
    }

    @Test
    void xmlEntitiesInWorkbookPartsAreRefused() throws IOException {
        byte[] xxe = workbook(
                out -> out.write(("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                                + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                                + "<row><c t=\"inlineStr\"><is><t>h</t></is></c></row><row><c t=\"inlineStr\"><is><t>&e;</t></is></c></row>"
                                + "</sheetData></worksheet>")
                        .getBytes(StandardCharsets.UTF_8)),
                null);
        Response r = Uploads.upload("xxe.xlsx", xxe);
        r.then().statusCode(400).contentType("application/problem+json");
        assertTrue(!r.asString().contains("root:"), "no file content leaks");
    }

    @Test
    void aHugeSharedStringsTableIsRefused() throws IOException {
        byte[] sst = workbook(
                out -> out.write(("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                                + "<sheetData><row><c t=\"s\"><v>0</v></c></row></sheetData></worksheet>")
                        .getBytes(StandardCharsets.UTF_8)),
                out -> {
                    out.write("<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                            .getBytes(StandardCharsets.UTF_8));
                    byte[] item = ("<si><t>" + "x".repeat(1000) + "</t></si>").getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < 70_000; i++) {
                        out.write(item);
                    }
                    out.write("</sst>".getBytes(StandardCharsets.UTF_8));
                });
        Uploads.upload("strings.xlsx", sst).then().statusCode(400).body("detail", containsString("shared-strings"));
    }

    @Test
    void millionsOfColumnsAreRefused() {
        String header = "c,".repeat(2_000_000) + "c\n";
        Uploads.upload("wide.csv", (header + header).getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(400)
                .body("detail", containsString("columns"));
    }

    @Test
    void aSingleEnormousLineIsRefusedWithBoundedWork() {
        byte[] line = new byte[12_000_000];
        java.util.Arrays.fill(line, (byte) 'x');
        Uploads.upload("oneline.csv", line).then().statusCode(400).body("detail", containsString("line 1"));
    }

    @Test
    void invalidUtf8IsReadAsWindows1252() {
        byte[] head = "name,score\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[] {'J', 'o', (byte) 0xE9, ',', '1', '\n', 'A', (byte) 0xC3, (byte) 0x28, ',', '2', '\n'};
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        Uploads.upload("latin.csv", all)
                .then()
                .statusCode(201)
                .body("data_info.rows", is(2))
                .body("data_info.sample[0].name", is("Jo\u00e9"));
    }

    @Test
    void formulaLikeCellsAreKeptAsData() {
        String csv = "label,value\n=cmd|' /C calc'!A0,1\n+SUM(A1:A2),2\n-2+3,3\n@import,4\n";
        Uploads.upload("formulas.csv", csv.getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(201)
                .body("data_info.data_types.label", is("object"))
                .body("data_info.sample[0].label", is("=cmd|' /C calc'!A0"))
                .body("data_info.sample[2].label", is("-2+3"));
    }

    @Test
    void nulHeavyContentIsRefusedAsBinary() {
        byte[] content = new byte[10_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 3 == 0 ? 0 : 'a');
        }
        Uploads.upload("nul.csv", content).then().statusCode(400).body("detail", containsString("binary"));
    }

    private interface Writer {
        void write(java.io.OutputStream out) throws IOException;
    }

    /** A minimal xlsx (from POI, then the first sheet's XML and optionally the shared strings replaced). */
    private static byte[] workbook(Writer sheet, Writer sharedStrings) throws IOException {
        byte[] template;
        try (XSSFWorkbook wb = new XSSFWorkbook();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            wb.createSheet("s").createRow(0).createCell(0).setCellValue("h");
            wb.write(out);
            template = out.toByteArray();
        }
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(template));
                ZipOutputStream zip = new ZipOutputStream(result)) {
            boolean wroteStrings = false;
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    sheet.write(zip);
                } else if (entry.getName().equals("xl/sharedStrings.xml") && sharedStrings != null) {
                    sharedStrings.write(zip);
                    wroteStrings = true;
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
            if (sharedStrings != null && !wroteStrings) {
                throw new IllegalStateException("the template has no shared strings part");
            }
        }
        return result.toByteArray();
    }
}

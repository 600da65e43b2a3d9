package io.llmanalytics.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Outcomes of the hostile suite, per category of the hardening issue, written to target/hostile-report.txt. */
final class HostileReport {

    /** How one case ended: refused by the validator, or run and stopped by the worker; and whether it got its way. */
    enum Stop {
        BLOCKED,
        CONTAINED
    }

    record Outcome(HostileCase hostile, Stop stop, boolean reached, String how, String detail) {}

    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

    void add(Outcome outcome) {
        outcomes.add(outcome);
    }

    List<Outcome> reached() {
        synchronized (outcomes) {
            return outcomes.stream().filter(Outcome::reached).toList();
        }
    }

    int size() {
        return outcomes.size();
    }

    String text(double seconds) {
        Map<String, int[]> byCategory = new TreeMap<>();
        List<Outcome> sorted;
        synchronized (outcomes) {
            sorted = new ArrayList<>(outcomes);
        }
        sorted.sort((a, b) -> a.hostile().id().compareTo(b.hostile().id()));
        for (Outcome o : sorted) {
            int[] counts = byCategory.computeIfAbsent(o.hostile().reportCategory(), k -> new int[4]);
            counts[0]++;
            counts[o.stop() == Stop.BLOCKED ? 1 : 2]++;
            if (o.reached()) {
                counts[3]++;
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "Hostile code through POST /api/session/{id}/analyze (LLM stub answering each case's code)%n"));
        out.append(String.format(
                "%d cases in %.0f s; blocked = refused by the validator (or the code "
                        + "extractor dropped the hostile lines), contained = ran and was stopped or harmless in the worker%n%n",
                sorted.size(), seconds));
        out.append(String.format("%-22s %6s %8s %10s %8s%n", "category", "cases", "blocked", "contained", "reached"));
        int[] total = new int[4];
        byCategory.forEach((category, c) -> {
            out.append(String.format("%-22s %6d %8d %10d %8d%n", category, c[0], c[1], c[2], c[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        });
        out.append(String.format("%-22s %6d %8d %10d %8d%n%n", "total", total[0], total[1], total[2], total[3]));
        out.append(String.format("How each case was stopped:%n"));
        for (Outcome o : sorted) {
            {
                out.append(String.format(
                        "  %-34s %-20s %s%s%n",
                        o.hostile().id(),
                        o.hostile().reportCategory(),
                        o.how(),
                        o.reached() ? "  REACHED: " + o.detail() : ""));
            }
        }
        return out.toString();
    }

    void write(double seconds) throws IOException {
        Path file = Path.of("target", "hostile-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text(seconds), StandardCharsets.UTF_8);
    }
}

package io.llmanalytics.offline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.llmanalytics.schema.DatasetSchema;

class ScratchTest {

    @Test
    void print() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/tmp/scratch-questions.txt"));
        DatasetSchema schema = null;
        StringBuilder out = new StringBuilder();
        java.util.List<io.llmanalytics.llm.Interaction> context = new java.util.ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            if (line.startsWith("@")) {
                String f = line.substring(1).strip();
                schema = f.equals("sales") ? TestTables.salesSchema() : TestTables.dabenchSchema(f);
                context.clear();
                out.append("\n=== ").append(f).append(' ').append(schema.columns().stream().map(c -> c.name() + ":" + c.dtype()).toList()).append('\n');
                continue;
            }
            out.append("Q: ").append(line).append('\n');
            try {
                var u = QuestionParser.understand(line, List.of(schema), context);
                String code = new CodeWriter(u.lexicon(), "df").write(u.plan());
                out.append(code).append('\n');
                context.add(new io.llmanalytics.llm.Interaction(line, code, null));
            } catch (NotUnderstood e) {
                out.append("  NOT UNDERSTOOD: ").append(e.reasons()).append("\n\n");
            }
        }
        Files.writeString(Path.of("/tmp/scratch-out.txt"), out);
    }
}

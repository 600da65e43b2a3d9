package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSplitterTest {

    private static List<String> split(String text, Dialect dialect) throws Exception {
        RecordSplitter splitter = new RecordSplitter(new StringReader(text), dialect, 1000);
        List<String> records = new ArrayList<>();
        String r;
        while ((r = splitter.next()) != null) {
            records.add(r);
        }
        return records;
    }

    @Test
    void lineEndingsOutsideQuotesEndRecordsInsideTheyStay() throws Exception {
        assertEquals(List.of("a,b", "1,2", "3,4"), split("a,b\r\n1,2\r3,4\n", Dialect.CANONICAL));
        assertEquals(
                List.of("a,b", "\"x\r\ny\",2", "\"he said \"\"hi\"\"\",3"),
                split("a,b\n\"x\r\ny\",2\n\"he said \"\"hi\"\"\",3", Dialect.CANONICAL));
        assertEquals(
                List.of("a", "5\"", "x"), split("a\n5\"\nx\n", Dialect.CANONICAL), "a quote inside a field is text");
        assertEquals(List.of("", "a"), split("\na\n", Dialect.CANONICAL));
    }

    @Test
    void escapesAndSpacesBeforeQuotes() throws Exception {
        Dialect escaped = new Dialect(StandardCharsets.UTF_8, 0, ',', '\\', true, 0, false, false);
        assertEquals(List.of("1, \"a \\\" b\"", "2, \"c\""), split("1, \"a \\\" b\"\n2, \"c\"\n", escaped));
    }

    @Test
    void unclosedQuotesAndLongRecordsAreRefused() {
        assertThrows(
                RecordSplitter.UnclosedQuoteException.class, () -> split("a\n\"never closed\n", Dialect.CANONICAL));
        assertThrows(RecordSplitter.RecordTooLongException.class, () -> split("x".repeat(2000), Dialect.CANONICAL));
    }

    @Test
    void lineNumbersCountPhysicalLines() throws Exception {
        RecordSplitter splitter = new RecordSplitter(new StringReader("a\n\"b\nc\"\nd\n"), Dialect.CANONICAL, 100);
        splitter.next();
        assertEquals(1, splitter.recordLine());
        splitter.next();
        assertEquals(2, splitter.recordLine());
        splitter.next();
        assertEquals(4, splitter.recordLine());
        assertNull(splitter.next());
    }
}

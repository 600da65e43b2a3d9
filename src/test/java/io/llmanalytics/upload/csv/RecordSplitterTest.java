package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSplitterTest {

    private static RecordSplitter splitter(String text, Dialect dialect, int max) {
        return new RecordSplitter(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), dialect, max);
    }

    private static List<String> split(String text, Dialect dialect) throws Exception {
        return split(text, dialect, 1000);
    }

    private static List<String> split(String text, Dialect dialect, int max) throws Exception {
        RecordSplitter splitter = splitter(text, dialect, max);
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
        RecordSplitter splitter = splitter("a\n\"b\nc\"\nd\n", Dialect.CANONICAL, 100);
        splitter.next();
        assertEquals(1, splitter.recordLine());
        splitter.next();
        assertEquals(2, splitter.recordLine());
        splitter.next();
        assertEquals(4, splitter.recordLine());
        assertNull(splitter.next());
    }

    @Test
    void recordsOfOtherCharactersAreDecodedAndTheOthersSplitFromTheirBytes() throws Exception {
        RecordSplitter splitter = splitter("Café,ß\nplain,1\n\"naïve, quoted\",😀\n", Dialect.CANONICAL, 1000);
        assertTrue(splitter.advance());
        assertFalse(splitter.ascii());
        assertEquals("Café,ß", splitter.text());
        assertTrue(splitter.advance());
        assertTrue(splitter.ascii() && splitter.quoteFree());
        assertArrayEquals(new String[] {"plain", "1"}, splitter.fields());
        assertEquals("\"naïve, quoted\",😀", splitter.next());
        assertFalse(splitter.advance());
    }

    @Test
    void malformedUtf8IsReportedWhenTheRecordIsRead() throws Exception {
        byte[] bytes = {'a', ',', 'b', '\n', 'x', (byte) 0xe9, 'y', '\n'}; // a lone Latin-1 é
        RecordSplitter splitter = new RecordSplitter(new ByteArrayInputStream(bytes), Dialect.CANONICAL, 100);
        assertEquals("a,b", splitter.next());
        assertTrue(splitter.advance());
        assertThrows(CharacterCodingException.class, splitter::text);
    }

    @Test
    void recordsLongerThanTheBufferAndLineEndsAtItsEdgeAreWhole() throws Exception {
        String longField = "x".repeat(200_000);
        String quoted = "\"" + "q\n".repeat(40_000) + "\"";
        String edge = "y".repeat((1 << 16) - 1); // its CR is the buffer's last byte, its LF the next read's first
        List<String> records = split(
                edge + "\r\n" + longField + ",1\n" + quoted + ",2\nz\n",
                new Dialect(StandardCharsets.UTF_8, 0, ',', Dialect.NO_ESCAPE, false, 0, false, false),
                1_000_000);
        assertEquals(List.of(edge, longField + ",1", quoted + ",2", "z"), records);
    }

    @Test
    void theLengthLimitCountsCharactersNotBytes() throws Exception {
        String accents = "é".repeat(900); // 1,800 bytes, 900 characters
        assertEquals(List.of(accents), split(accents, Dialect.CANONICAL, 1000));
        assertThrows(
                RecordSplitter.RecordTooLongException.class, () -> split("é".repeat(1001), Dialect.CANONICAL, 1000));
        assertThrows(
                RecordSplitter.RecordTooLongException.class, () -> split("😀".repeat(501), Dialect.CANONICAL, 1000));
    }

    @Test
    void aLongRecordIsCountedOnceNotAtEachOfItsLineBreaks() {
        // A quoted field of three-byte characters and line breaks, just within the limit: 999,000 characters in
        // 2,331,000 bytes, one length check per line break. Counted again from the record's start at each check
        // (about 3 x 10^11 bytes read) it takes minutes; counted once, milliseconds.
        String fits = "\"" + "हह\n".repeat(333_000) + "\"";
        assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> assertEquals(List.of(fits), split(fits, Dialect.CANONICAL, 1_000_000)));
        String over = "\"" + "हह\n".repeat(334_000) + "\"";
        assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> assertThrows(
                        RecordSplitter.RecordTooLongException.class, () -> split(over, Dialect.CANONICAL, 1_000_000)));
    }
}

package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DialectSnifferTest {

    private static final TextEncoding.Detected UTF8 = new TextEncoding.Detected(StandardCharsets.UTF_8, 0);

    private static Dialect sniff(String text) {
        return DialectSniffer.sniff(text, true, UTF8);
    }

    @Test
    void delimiters() {
        assertEquals(',', sniff("a,b,c\n1,2,3\n").delimiter());
        assertEquals(';', sniff("a;b\n1,5;2\n3,5;4\n").delimiter());
        assertTrue(sniff("a;b\n1,5;2\n3,5;4\n").decimalComma());
        assertFalse(sniff("a;b\n1.5;2\n3,5;4\n").decimalComma());
        assertEquals('\t', sniff("a\tb\n1\t2\n").delimiter());
        assertEquals('|', sniff("a|b\n1|2\n").delimiter());
        assertTrue(sniff("a,b\n1,2\n").canonical());
    }

    @Test
    void titleRowsCommentsAndHeadersThatStartWithHash() {
        assertEquals(
                2, sniff(",,,\nReport title,,,\na,b,c,d\n1,2,3,4\n5,6,7,8\n").headerRecord());
        assertTrue(sniff("# comment\nid,name\n1,x\n# more\n2,y\n").comments());
        assertFalse(sniff("#id,name\n1,x\n2,y\n").comments(), "a #-prefixed header is a header");
    }

    @Test
    void escapes() {
        assertEquals('\\', sniff("ID, Test\n1, \"a \\\" b\"\n").escape());
        assertEquals(
                Dialect.NO_ESCAPE, sniff("a,b\n1,\"x \\\"\"y\\\"\"\"\n").escape(), "backslash before a doubled quote");
        assertTrue(sniff("ID, Test\n1, \"a\"\n").skipInitialSpace());
    }

    @Test
    void encodings() {
        assertEquals(
                StandardCharsets.UTF_16LE,
                TextEncoding.detect(new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0}, 4)
                        .charset());
        byte[] utf16 = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16BE);
        assertEquals(
                StandardCharsets.UTF_16BE,
                TextEncoding.detect(utf16, utf16.length).charset());
        byte[] latin = "caf\u00e9,x\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(
                TextEncoding.WINDOWS_1252,
                TextEncoding.detect(latin, latin.length).charset());
        byte[] cut = "ab\u00e9".getBytes(StandardCharsets.UTF_8);
        assertTrue(TextEncoding.isUtf8(cut, cut.length - 1), "a sequence cut at the end of the sample is fine");
        byte[] binary = new byte[1000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 7);
        }
        assertThrows(ProblemException.class, () -> TextEncoding.detect(binary, binary.length));
    }
}

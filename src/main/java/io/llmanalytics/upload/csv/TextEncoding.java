package io.llmanalytics.upload.csv;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Finds the encoding of text from its first bytes: a byte-order mark (UTF-8, UTF-16), UTF-16 without one (NUL
 * pattern), strict UTF-8, else Windows-1252 (a superset of Latin-1's printable characters). Refuses binary content.
 */
public final class TextEncoding {

    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** The detected encoding and the length of its byte-order mark. */
    public record Detected(Charset charset, int bomBytes) {}

    private TextEncoding() {}

    public static Detected detect(byte[] head, int length) {
        if (length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            return new Detected(StandardCharsets.UTF_8, 3);
        }
        if (length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
            return new Detected(StandardCharsets.UTF_16LE, 2);
        }
        if (length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
            return new Detected(StandardCharsets.UTF_16BE, 2);
        }
        Charset utf16 = utf16WithoutBom(head, length);
        if (utf16 != null) {
            return new Detected(utf16, 0);
        }
        refuseBinary(head, length);
        return new Detected(isUtf8(head, length) ? StandardCharsets.UTF_8 : WINDOWS_1252, 0);
    }

    private static Charset utf16WithoutBom(byte[] head, int length) {
        int pairs = Math.min(length, 4096) / 2;
        if (pairs < 4) {
            return null;
        }
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i < pairs * 2; i += 2) {
            evenZeros += head[i] == 0 ? 1 : 0;
            oddZeros += head[i + 1] == 0 ? 1 : 0;
        }
        if (oddZeros > pairs * 0.9 && evenZeros < pairs * 0.1) {
            return StandardCharsets.UTF_16LE;
        }
        if (evenZeros > pairs * 0.9 && oddZeros < pairs * 0.1) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    private static void refuseBinary(byte[] head, int length) {
        int control = 0;
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0B) {
                control++;
            }
        }
        if (control > 8 && control > length / 100) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The file holds binary content, not delimited text: " + control + " control bytes in its first "
                            + length
                            + " bytes. Upload a CSV/TSV text file, an Excel workbook (.xlsx, .xls) or a JSON array of records.");
        }
    }

    /** Strict UTF-8 check of the head, ignoring a multi-byte sequence cut at the end. */
    static boolean isUtf8(byte[] head, int length) {
        int end = length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (head[end - back - 1] & 0xC0) == 0xC0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

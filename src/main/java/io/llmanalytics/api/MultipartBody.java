package io.llmanalytics.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemHeaders;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * A multipart/form-data body (RFC 7578) read part by part as it streams in: nothing is buffered beyond one window of
 * the body, and each part's bytes are read from its own stream. Part headers are parsed by commons-fileupload (names
 * and file names as UTF-8, what browsers and curl send; its rules for quoting and for the header size); the body is
 * framed here. The boundary search is what an upload's receive spends most of its CPU on: commons-fileupload's own
 * framing compares every byte with the boundary through a 4 KiB window (a fifth of the service's CPU while a 95 MB
 * upload arrived, issue 20); this one looks for the delimiter's first byte eight bytes at a time in a 64 KiB window,
 * and compares the delimiter only where that byte is.
 */
final class MultipartBody {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DASH = '-';
    private static final long CRS = 0x0D0D_0D0D_0D0D_0D0DL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The size of a part's headers commons-fileupload accepts. */
    static final int HEADERS_MAX = MultipartInput.DEFAULT_PART_HEADER_SIZE_MAX;

    static final int WINDOW = 64 * 1024;

    /** A part: its form field name, its file name (null for a plain field), its declared type, and its bytes. */
    record Part(String fieldName, String fileName, String contentType, InputStream body) {

        boolean isFile() {
            return fileName != null;
        }

        /** The file name, refused as commons-fileupload refuses it (a NUL in it) when it is asked for. */
        String checkedFileName() {
            return DiskFileItem.checkFileName(fileName);
        }
    }

    private static final Headers HEADERS = new Headers();

    private final InputStream in;
    /** CRLF, two dashes and the boundary: what ends a part. */
    private final byte[] delimiter;

    private final byte[] buffer;
    private int head;
    private int tail;
    /** Where the delimiter was found in the window ({@code -1}: not in it), and up to where bytes are part data. */
    private int found = -2;

    private int clear;
    private boolean done;
    private PartStream current;

    /**
     * The body of a request of type {@code contentType}; refused (an {@link IOException} saying why) when that type
     * names no boundary.
     */
    MultipartBody(String contentType, InputStream in) throws IOException {
        byte[] boundary = HEADERS.getBoundary(contentType);
        if (boundary == null || boundary.length == 0) {
            throw new IOException("the request was rejected because no multipart boundary was found");
        }
        this.in = in;
        this.delimiter = new byte[boundary.length + 4];
        delimiter[0] = CR;
        delimiter[1] = LF;
        delimiter[2] = DASH;
        delimiter[3] = DASH;
        System.arraycopy(boundary, 0, delimiter, 4, boundary.length);
        this.buffer = new byte[Math.max(WINDOW, 2 * (delimiter.length + HEADERS_MAX))];
        // the first boundary may open the body, with no line break before it: read as if one came first
        buffer[0] = CR;
        buffer[1] = LF;
        tail = 2;
    }

    /**
     * The next part, or null after the closing boundary. The part before it is skipped if it was not read to its end.
     */
    Part next() throws IOException {
        if (done) {
            return null;
        }
        if (current != null) {
            current.ended = true;
        }
        int at;
        while ((at = delimiterAt()) < 0) {
            head = clear;
            if (!fill()) {
                throw new IOException("the body ended before its closing boundary");
            }
        }
        head = at + delimiter.length;
        found = -2;
        require(2);
        if (buffer[head] == DASH && buffer[head + 1] == DASH) {
            done = true;
            return null;
        }
        if (buffer[head] != CR || buffer[head + 1] != LF) {
            throw new IOException("unexpected characters follow a boundary");
        }
        head += 2;
        FileItemHeaders headers = HEADERS.getParsedHeaders(readHeaders());
        String fileName = HEADERS.getFileName(headers);
        current = new PartStream();
        return new Part(
                HEADERS.getFieldName(headers), fileName, headers.getHeader(AbstractFileUpload.CONTENT_TYPE), current);
    }

    /** The header lines up to the blank line that ends them, at most {@value #HEADERS_MAX} bytes. */
    private String readHeaders() throws IOException {
        while (true) {
            int end = blankLine();
            if (end - head > HEADERS_MAX) {
                throw new IOException("a part's headers are longer than " + HEADERS_MAX + " bytes");
            }
            if (end >= 0) {
                String text = new String(buffer, head, end - head, StandardCharsets.UTF_8);
                head = end;
                found = -2;
                return text;
            }
            if (tail - head > HEADERS_MAX) {
                throw new IOException("a part's headers are longer than " + HEADERS_MAX + " bytes");
            }
            if (!fill()) {
                throw new IOException("the body ended within a part's headers");
            }
        }
    }

    /** The end of the blank line that ends the headers, or -1 when it is not in the window yet. */
    private int blankLine() {
        if (tail - head >= 2 && buffer[head] == CR && buffer[head + 1] == LF) {
            return head + 2; // no headers at all
        }
        for (int i = head; i + 3 < tail; i++) {
            if (buffer[i] == CR && buffer[i + 1] == LF && buffer[i + 2] == CR && buffer[i + 3] == LF) {
                return i + 4;
            }
        }
        return -1;
    }

    private void require(int bytes) throws IOException {
        while (tail - head < bytes) {
            if (!fill()) {
                throw new IOException("the body ended within a boundary");
            }
        }
    }

    /**
     * Where the delimiter starts in the window, or -1; sets {@link #clear}, the end of the bytes that are surely part
     * data (a delimiter's first bytes at the window's end may be the start of one).
     */
    private int delimiterAt() {
        if (found != -2) {
            return found;
        }
        int i = head;
        while (true) {
            int c = indexOfCr(i);
            if (c < 0) {
                clear = tail;
                return found = -1;
            }
            int available = tail - c;
            if (available >= delimiter.length) {
                if (Arrays.equals(buffer, c, c + delimiter.length, delimiter, 0, delimiter.length)) {
                    clear = c;
                    return found = c;
                }
            } else if (Arrays.equals(buffer, c, tail, delimiter, 0, available)) {
                clear = c;
                return found = -1;
            }
            i = c + 1;
        }
    }

    /** The first CR in the window from {@code from} on, eight bytes at a time, or -1. */
    private int indexOfCr(int from) {
        int i = from;
        for (; i + Long.BYTES <= tail; i += Long.BYTES) {
            long v = (long) LONGS.get(buffer, i) ^ CRS;
            long zero = (v - ONES) & ~v & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < tail; i++) {
            if (buffer[i] == CR) {
                return i;
            }
        }
        return -1;
    }

    /** Reads more of the body into the window (moving what is left of it to the start); false at its end. */
    private boolean fill() throws IOException {
        if (head > 0) {
            System.arraycopy(buffer, head, buffer, 0, tail - head);
            tail -= head;
            head = 0;
        }
        int read = in.read(buffer, tail, buffer.length - tail);
        found = -2;
        if (read < 0) {
            return false;
        }
        tail += read;
        return true;
    }

    /** A part's bytes, up to the delimiter that ends it. */
    private final class PartStream extends InputStream {

        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            while (true) {
                int at = delimiterAt();
                int end = at >= 0 ? at : clear;
                if (end > head) {
                    int n = Math.min(length, end - head);
                    System.arraycopy(buffer, head, into, offset, n);
                    head += n;
                    return n;
                }
                if (at >= 0) {
                    ended = true;
                    return -1;
                }
                if (!fill()) {
                    throw new IOException("the body ended before its closing boundary");
                }
            }
        }
    }

    /** commons-fileupload's parsing of a part's headers and of the request's boundary, used on their own. */
    private static final class Headers extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {

        Headers() {
            setHeaderCharset(StandardCharsets.UTF_8);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request) {
            throw new UnsupportedOperationException("the body is framed by MultipartBody");
        }

        @Override
        public List<DiskFileItem> parseRequest(RequestContext request) {
            throw new UnsupportedOperationException("the body is framed by MultipartBody");
        }
    }
}

package io.llmanalytics.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;
import org.junit.jupiter.api.Test;

/**
 * The multipart framing gives every part's bytes exactly, however the body arrives, and refuses a body that is not
 * well formed. Random bodies (binary data full of line breaks, dashes and near-boundaries) are read by this reader and
 * by commons-fileupload's own, which must agree part for part.
 */
class MultipartBodyTest {

    private static final String TYPE = "multipart/form-data; boundary=XyZ-b0undary";
    private static final String BOUNDARY = "XyZ-b0undary";

    /** A part as both readers give it. */
    record Read(String field, String file, String type, byte[] bytes) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Read r
                    && Objects.equals(field, r.field)
                    && Objects.equals(file, r.file)
                    && Objects.equals(type, r.type)
                    && Arrays.equals(bytes, r.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(field, file, type, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return field + "/" + file + "/" + type + "/" + bytes.length + " bytes";
        }
    }

    @Test
    void randomBodiesReadAsCommonsFileUploadReadsThem() throws IOException {
        Random random = new Random(20);
        for (int round = 0; round < 300; round++) {
            byte[] body = randomBody(random);
            int chunk = 1 + random.nextInt(round % 3 == 0 ? 7 : 70_000);
            List<Read> ours = readOurs(new Trickle(body, chunk));
            List<Read> theirs = readTheirs(body);
            assertEquals(theirs, ours, "round " + round + ", reads of " + chunk + " bytes");
        }
    }

    @Test
    void aPartIsItsBytesUpToTheDelimiterAcrossWindows() throws IOException {
        byte[] data = new byte[3 * MultipartBody.WINDOW + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 5 == 0 ? '\r' : i % 7 == 0 ? '\n' : '-');
        }
        // a near-boundary right where the first window ends
        byte[] near = ("\r\n--" + BOUNDARY.substring(0, 5)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(near, 0, data, MultipartBody.WINDOW - 4, near.length);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(data);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        List<Read> parts = readOurs(new ByteArrayInputStream(body.toByteArray()));
        assertEquals(1, parts.size());
        assertEquals("file", parts.get(0).field());
        assertEquals("a.csv", parts.get(0).file());
        assertEquals("text/csv", parts.get(0).type());
        assertArrayEquals(data, parts.get(0).bytes());
    }

    @Test
    void aPreambleIsSkippedAndAPlainFieldHasNoFileName() throws IOException {
        String body =
                "preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x=1;y,2.csv\"\r\n\r\na,b\n1,2\n"
                        + "\r\n--" + BOUNDARY + "--";
        List<Read> parts = readOurs(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, parts.size());
        assertNull(parts.get(0).file());
        assertEquals("hello", new String(parts.get(0).bytes(), StandardCharsets.UTF_8));
        assertEquals("x=1;y,2.csv", parts.get(1).file());
        assertEquals("a,b\n1,2\n", new String(parts.get(1).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aPartLeftUnreadIsSkipped() throws IOException {
        String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a\"\r\n\r\n"
                + "x".repeat(200_000) + "\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b\"\r\n\r\nB\r\n--" + BOUNDARY + "--\r\n";
        MultipartBody parts = new MultipartBody(TYPE, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals("a", parts.next().fieldName());
        MultipartBody.Part second = parts.next();
        assertEquals("b", second.fieldName());
        assertEquals("B", new String(second.body().readAllBytes(), StandardCharsets.UTF_8));
        assertNull(parts.next());
        assertNull(parts.next());
    }

    @Test
    void malformedBodiesAreRefusedWithTheirReason() {
        assertThrows(IOException.class, () -> new MultipartBody("multipart/form-data", InputStream.nullInputStream()));
        assertEquals(
                "the body ended before its closing boundary",
                assertThrows(
                                IOException.class,
                                () -> readOurs(
                                        stream(
                                                "--" + BOUNDARY
                                                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\ncut off")))
                        .getMessage());
        assertEquals(
                "unexpected characters follow a boundary",
                assertThrows(IOException.class, () -> readOurs(stream("--" + BOUNDARY + "xx\r\n\r\n")))
                        .getMessage());
        assertTrue(assertThrows(
                        IOException.class,
                        () -> readOurs(stream("--" + BOUNDARY + "\r\nX-Long: " + "h".repeat(MultipartBody.HEADERS_MAX)
                                + "\r\n\r\nbody\r\n--" + BOUNDARY + "--")))
                .getMessage()
                .contains("headers are longer than"));
        assertEquals(
                "the body ended within a part's headers",
                assertThrows(IOException.class, () -> readOurs(stream("--" + BOUNDARY + "\r\nContent-Dis")))
                        .getMessage());
        assertEquals(
                "the body ended before its closing boundary",
                assertThrows(IOException.class, () -> readOurs(stream("no boundary at all")))
                        .getMessage());
    }

    @Test
    void aFileNameWithANulIsRefusedWhenAskedFor() throws IOException {
        String body =
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\0b.csv\"\r\n\r\n"
                        + "x\r\n--" + BOUNDARY + "--";
        MultipartBody.Part part = new MultipartBody(TYPE, stream(body)).next();
        assertThrows(InvalidPathException.class, part::checkedFileName);
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] randomBody(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextBoolean()) {
            out.writeBytes("a preamble\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        int parts = 1 + random.nextInt(4);
        for (int p = 0; p < parts; p++) {
            out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String disposition = "Content-Disposition: form-data; name=\"f" + p + "\""
                    + (random.nextBoolean() ? "; filename=\"file" + p + ".csv\"" : "");
            out.writeBytes((disposition + "\r\n" + (random.nextBoolean() ? "Content-Type: text/csv\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] data;
            do {
                data = randomData(random);
            } while (!endsOnlyAtTheDelimiter(data)); // random bytes may complete a near-boundary now and then
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--" + (random.nextBoolean() ? "\r\nepilogue" : ""))
                .getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Whether the first delimiter after {@code data} is the one written after it, not one the data completes. */
    private static boolean endsOnlyAtTheDelimiter(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1) + "\r\n--" + BOUNDARY;
        return text.indexOf("\r\n--" + BOUNDARY) == data.length;
    }

    /** Bytes rich in what the framing looks for: line breaks, dashes and the boundary's first bytes. */
    private static byte[] randomData(Random random) {
        byte[] pieces = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.US_ASCII);
        int length = random.nextInt(4) == 0 ? random.nextInt(300_000) : random.nextInt(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < length) {
            switch (random.nextInt(4)) {
                case 0 -> out.write(pieces, 0, 1 + random.nextInt(pieces.length - 1)); // a near-boundary
                case 1 -> out.write(random.nextInt(256));
                default -> {
                    byte[] run = new byte[random.nextInt(64)];
                    random.nextBytes(run);
                    out.writeBytes(run);
                }
            }
        }
        return out.toByteArray();
    }

    private static List<Read> readOurs(InputStream in) throws IOException {
        MultipartBody body = new MultipartBody(TYPE, in);
        List<Read> parts = new ArrayList<>();
        MultipartBody.Part part;
        while ((part = body.next()) != null) {
            parts.add(new Read(
                    part.fieldName(),
                    part.fileName(),
                    part.contentType(),
                    part.body().readAllBytes()));
        }
        return parts;
    }

    private static List<Read> readTheirs(byte[] body) throws IOException {
        FileItemInputIterator items = new Library().getItemIterator(new Context(new ByteArrayInputStream(body)));
        List<Read> parts = new ArrayList<>();
        while (items.hasNext()) {
            FileItemInput item = items.next();
            try (InputStream in = item.getInputStream()) {
                parts.add(new Read(item.getFieldName(), item.getName(), item.getContentType(), in.readAllBytes()));
            }
        }
        return parts;
    }

    /** A stream that gives at most {@code chunk} bytes per read, as a slow network does. */
    private static final class Trickle extends FilterInputStream {

        private final int chunk;

        Trickle(byte[] bytes, int chunk) {
            super(new ByteArrayInputStream(bytes));
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, chunk));
        }
    }

    private static final class Library extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {

        Library() {
            setHeaderCharset(StandardCharsets.UTF_8);
        }

        @Override
        public FileItemInputIterator getItemIterator(RequestContext request) throws IOException {
            return super.getItemIterator(request);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DiskFileItem> parseRequest(RequestContext request) {
            throw new UnsupportedOperationException();
        }
    }

    private record Context(InputStream body) implements RequestContext {

        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public String getContentType() {
            return TYPE;
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }
}

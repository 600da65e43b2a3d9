package io.llmanalytics.access;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Stops reading a JSON request body (an analyze question) at {@code MAX_JSON_BODY_SIZE} with a 413 problem, however
 * it is sent; bodies that declare a larger length were already refused by {@link AccessGate} before being read.
 */
@Provider
public class JsonBodyLimit implements ReaderInterceptor {

    private final Access access;

    public JsonBodyLimit(Access access) {
        this.access = access;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return context.proceed();
        }
        Limited limited = new Limited(context.getInputStream(), access.maxJsonBody(), access);
        context.setInputStream(limited);
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            // the JSON reader reports a failed read as a bad request of its own: the real reason is the size
            if (limited.exceeded()) {
                throw access.jsonBodyTooLarge();
            }
            throw e;
        }
    }

    /** An input stream that fails once more than {@code max} bytes were read. */
    static final class Limited extends FilterInputStream {

        private final long max;
        private final Access access;
        private long read;

        Limited(InputStream in, long max, Access access) {
            super(in);
            this.max = max;
            this.access = access;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        boolean exceeded() {
            return read > max;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw access.jsonBodyTooLarge();
            }
        }
    }
}

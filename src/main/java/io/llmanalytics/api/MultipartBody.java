package io.llmanalytics.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * A multipart/form-data body read part by part as it streams in (commons-fileupload's streaming API): nothing is
 * buffered or written to disk by the parser itself; each part's bytes are read from its own stream. Part names and
 * file names are read as UTF-8 (what browsers and curl send).
 */
final class MultipartBody extends AbstractFileUpload<RequestContext, DiskFileItem, DiskFileItemFactory> {

    MultipartBody() {
        setHeaderCharset(StandardCharsets.UTF_8);
    }

    /** The request as the parser sees it: its content type (with the boundary), declared length and body. */
    record Request(String contentType, String declaredLength, InputStream body) implements RequestContext {

        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public long getContentLength() {
            try {
                return declaredLength == null ? -1 : Long.parseLong(declaredLength.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String getContentType() {
            return contentType;
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

    @Override
    public FileItemInputIterator getItemIterator(RequestContext request) throws FileUploadException, IOException {
        return super.getItemIterator(request);
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(RequestContext request) throws FileUploadException {
        throw new UnsupportedOperationException("the body is read as a stream, part by part");
    }

    @Override
    public List<DiskFileItem> parseRequest(RequestContext request) throws FileUploadException {
        throw new UnsupportedOperationException("the body is read as a stream, part by part");
    }
}

package io.llmanalytics.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The page of a share link, {@code /shared/{token}}: the same page as {@code /}, which sees the path and opens in its
 * read-only mode (its data from {@code /api/shared/{token}}). Served for any token: the page itself says when the link
 * opens nothing.
 */
@Path("/shared/{token}")
public class SharedPageResource {

    private static final String PAGE = "META-INF/resources/index.html";

    private final byte[] page;

    public SharedPageResource() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("The page " + PAGE + " is missing from the class path");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}

package io.llmanalytics.api;

import io.llmanalytics.export.report.ReportService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * The session as a report to hand on: one self-contained HTML file (interactive charts, printable) or a PDF, both
 * made from the stored answers.
 */
@Path("/api/session/{id}/{file: report\\.(?:html|pdf)}")
public class ReportResource {

    static final String HTML = "text/html; charset=UTF-8";
    static final String PDF = "application/pdf";

    private final ReportService reports;

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    /** {@code report.html} or {@code report.pdf}. */
    @GET
    @ExistingSession
    public Uni<Response> report(@PathParam("id") String id, @PathParam("file") String file) {
        return file.endsWith(".pdf")
                ? reports.pdf(id).map(r -> download(r, PDF))
                : reports.html(id).map(r -> download(r, HTML));
    }

    /** A report as an attachment that is not cached and whose HTML never runs on the service's origin. */
    static Response download(ReportService.Rendered report, String type) {
        Response response = InteractionExportResource.attachment(report.bytes(), type, report.fileName());
        response.getHeaders().add("Cache-Control", "private, no-store");
        response.getHeaders().add("X-Content-Type-Options", "nosniff");
        response.getHeaders().add("Content-Security-Policy", "sandbox");
        return response;
    }
}

package io.llmanalytics.api;

import io.llmanalytics.export.DatasetExporter;
import io.llmanalytics.export.ExportFormat;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.GridFsFiles;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.store.StoreConfig;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Downloads a session's dataset as CSV or XLSX, with formula-like text neutralised. */
@jakarta.ws.rs.Path("/api/session/{id}/export")
public class ExportResource {

    private final SessionService sessions;
    private final GridFsFiles files;
    private final DatasetExporter exporter;
    private final StoreConfig store;

    public ExportResource(SessionService sessions, GridFsFiles files, DatasetExporter exporter, StoreConfig store) {
        this.sessions = sessions;
        this.files = files;
        this.exporter = exporter;
        this.store = store;
    }

    @GET
    @Blocking
    public Response export(
            @PathParam("id") String id, @QueryParam("dataset") String dataset, @QueryParam("format") String format) {
        ExportFormat kind = ExportFormat.of(format);
        Duration wait = store.timeout().multipliedBy(6);
        var session = sessions.find(id).await().atMost(wait);
        DatasetDocument chosen = dataset == null || dataset.isBlank()
                ? session.defaultDataset()
                : session.datasets.stream()
                        .filter(d -> d.name().equals(dataset))
                        .findFirst()
                        .orElseThrow(() -> new ProblemException(
                                ProblemType.NOT_FOUND,
                                "The session has no dataset '" + dataset + "'; it has "
                                        + session.datasets.stream()
                                                .map(DatasetDocument::name)
                                                .toList() + "."));
        Path canonical = files.materialise(chosen.source()).await().atMost(wait);
        StreamingOutput body = out -> {
            try {
                exporter.write(chosen, canonical, kind, out);
            } finally {
                Files.deleteIfExists(canonical);
            }
        };
        String fileName = chosen.name().replaceAll("[^\\p{L}\\p{N}._ -]", "_") + "." + kind.extension();
        return Response.ok(body, kind.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + fileName.replace("\"", "") + "\"")
                .build();
    }
}

package io.llmanalytics.api;

import io.llmanalytics.sources.Source;
import io.llmanalytics.sources.SourceCatalog;
import io.llmanalytics.sources.SourceImporter;
import io.llmanalytics.sources.TableInfo;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The database sources the operator configured, and their tables. Never shows a URL, host, user or password. */
@Path("/api/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourcesResource {

    /** A source as end users see it. */
    public record SourceView(String name, String kind, List<String> tablesAllowed) {

        static SourceView of(Source s) {
            return new SourceView(s.name(), s.kind().label(), s.tables().isEmpty() ? null : s.tables());
        }
    }

    private final SourceCatalog catalog;
    private final SourceImporter importer;

    public SourcesResource(SourceCatalog catalog, SourceImporter importer) {
        this.catalog = catalog;
        this.importer = importer;
    }

    @GET
    public List<SourceView> list() {
        return catalog.all().stream().map(SourceView::of).toList();
    }

    @GET
    @Path("/{name}/tables")
    public Uni<List<TableInfo>> tables(@PathParam("name") String name) {
        catalog.get(name);
        return Uni.createFrom()
                .item(() -> importer.tables(name))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}

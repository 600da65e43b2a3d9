package io.llmanalytics.api;

import io.llmanalytics.dictionary.ColumnEntry;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.dictionary.Dictionaries;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * A dataset's data dictionary: {@code GET}, {@code PUT} (JSON: the description and the named columns' entries are
 * replaced; a column set to null loses its entry) and {@code POST} of a CSV or JSON file (multipart field
 * {@code file}), applied as a PUT.
 */
@Path("/api/session/{id}/datasets/{name}/dictionary")
@Produces(MediaType.APPLICATION_JSON)
public class DictionaryResource {

    private final Dictionaries dictionaries;

    public DictionaryResource(Dictionaries dictionaries) {
        this.dictionaries = dictionaries;
    }

    /**
     * The answer: the dataset, its description, an entry per described column ({@code draft: true} when drafted
     * from the data and not edited yet) and the columns whose entries were dropped when a refresh removed them.
     */
    public record DictionaryResponse(
            String dataset, String description, Map<String, ColumnEntry> columns, List<String> droppedColumns) {

        static DictionaryResponse of(Dictionaries.View view) {
            DataDictionary d = view.dictionary();
            return new DictionaryResponse(view.dataset(), d.description(), d.columns(), view.dropped());
        }
    }

    @GET
    @ExistingSession
    public Uni<DictionaryResponse> get(@PathParam("id") String id, @PathParam("name") String name) {
        return dictionaries.get(id, name).map(DictionaryResponse::of);
    }

    @PUT
    @ExistingSession
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DictionaryResponse> put(
            @PathParam("id") String id, @PathParam("name") String name, DataDictionary body) {
        return dictionaries.put(id, name, body).map(DictionaryResponse::of);
    }

    @POST
    @ExistingSession
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<DictionaryResponse> upload(
            @PathParam("id") String id, @PathParam("name") String name, @RestForm("file") FileUpload file) {
        if (file == null || file.uploadedFile() == null) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "Send the dictionary as a multipart/form-data field named 'file' (curl -F file=@dictionary.csv"
                            + " ...): a CSV with the columns column,description,unit,synonyms,values, or JSON.");
        }
        return dictionaries
                .upload(id, name, file.uploadedFile(), file.fileName(), file.contentType())
                .map(DictionaryResponse::of);
    }
}

package io.llmanalytics.dictionary;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.SessionService;
import io.llmanalytics.session.SessionStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The data dictionaries of a session's datasets: read, edited ({@code PUT}: the description and the named columns'
 * entries are replaced, their draft flag cleared; other entries stay), read from a file, drafted at upload and kept
 * across a refresh for the columns that still exist. Stored inside each dataset of the session document through
 * {@link SessionStore}, so they go with the session and the dataset.
 */
@ApplicationScoped
public class Dictionaries {

    private final SessionService sessions;
    private final SessionStore store;
    private final DictionaryConfig config;
    private final DictionaryRules rules;

    public Dictionaries(SessionService sessions, SessionStore store, DictionaryConfig config) {
        this.sessions = sessions;
        this.store = store;
        this.config = config;
        this.rules = new DictionaryRules(config);
    }

    /** A dataset's dictionary with the entries dropped at a refresh. */
    public record View(String dataset, DataDictionary dictionary, List<String> dropped) {}

    public Uni<View> get(String sessionId, String dataset) {
        return sessions.find(sessionId).map(session -> view(dataset(session, dataset)));
    }

    /** Sets the description (when given) and replaces the entries of the named columns (null removes one). */
    public Uni<View> put(String sessionId, String dataset, DataDictionary edit) {
        if (edit == null) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "Send the dictionary as JSON: {description, columns: {<column>: {description, unit, synonyms:"
                            + " [...], values: {<code>: <label>}}}}.");
        }
        return sessions.find(sessionId).chain(session -> {
            DatasetDocument d = dataset(session, dataset);
            rules.check(d.schema(), edit);
            DataDictionary merged = merge(d.dataDictionary(), edit);
            rules.check(d.schema(), merged); // a synonym may now clash with an entry kept from before
            StoredDictionary stored = StoredDictionary.of(
                    merged, d.dictionary() == null ? List.of() : d.dictionary().dropped());
            return store.saveDictionary(sessionId, d.name(), d.fileId(), stored).map(saved -> {
                if (!saved) {
                    throw new ProblemException(
                            ProblemType.CONFLICT,
                            "The session was deleted, or dataset '" + d.name()
                                    + "' was refreshed meanwhile; read its dictionary again and send the change.");
                }
                return view(d.withDictionary(stored));
            });
        });
    }

    /** The dictionary in an uploaded file (CSV or JSON), applied as {@link #put}. */
    public Uni<View> upload(String sessionId, String dataset, Path file, String fileName, String contentType) {
        return Uni.createFrom()
                .item(() -> DictionaryFiles.read(file, fileName, contentType, config.maxFileBytes()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(edit -> put(sessionId, dataset, edit));
    }

    static DataDictionary merge(DataDictionary before, DataDictionary edit) {
        Map<String, ColumnEntry> columns = new LinkedHashMap<>(before.columns());
        edit.columns().forEach((name, entry) -> {
            if (entry == null || entry.empty()) {
                columns.remove(name);
            } else {
                columns.put(
                        name,
                        new ColumnEntry(
                                trimmed(entry.description()),
                                trimmed(entry.unit()),
                                entry.synonyms().stream().map(String::strip).toList(),
                                entry.values(),
                                null));
            }
        });
        String description = edit.description() != null ? trimmed(edit.description()) : before.description();
        return new DataDictionary(description, columns);
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static View view(DatasetDocument d) {
        return new View(
                d.name(),
                d.dataDictionary(),
                d.dictionary() == null ? List.of() : d.dictionary().dropped());
    }

    private static DatasetDocument dataset(SessionDocument session, String name) {
        return session.datasets.stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ProblemException(
                        ProblemType.NOT_FOUND,
                        "Session " + session.id + " has no dataset named " + DictionaryRules.quoted(name)
                                + "; its datasets are "
                                + session.datasets.stream()
                                        .map(DatasetDocument::name)
                                        .toList() + "."));
    }

    /**
     * The dictionaries of a session's datasets by dataset name (empty ones left out): what the prompts, the offline
     * analyst, the interpretation and the reports read.
     */
    public static Map<String, DataDictionary> of(SessionDocument session) {
        Map<String, DataDictionary> all = new LinkedHashMap<>();
        for (DatasetDocument d : session.datasets) {
            DataDictionary dictionary = d.dataDictionary();
            if (!dictionary.empty()) {
                all.put(d.name(), dictionary);
            }
        }
        return all;
    }

    /**
     * The units of the columns that {@code code} names (as a quoted string, {@code df['revenue']}), by column, from
     * the session's dictionaries: what the explanation writes their numbers with.
     */
    public static Map<String, String> units(SessionDocument session, String code) {
        Map<String, String> units = new LinkedHashMap<>();
        if (code == null) {
            return units;
        }
        for (DataDictionary dictionary : of(session).values()) {
            dictionary.columns().forEach((column, entry) -> {
                if (entry.unit() != null
                        && !entry.unit().isBlank()
                        && (code.contains("'" + column + "'") || code.contains("\"" + column + "\""))) {
                    units.putIfAbsent(column, entry.unit().strip());
                }
            });
        }
        return units;
    }

    /** One dataset's dictionary (empty when it has none or there is no such dataset): for reports. */
    public static DataDictionary of(SessionDocument session, String dataset) {
        return session.datasets.stream()
                .filter(d -> d.name().equals(dataset))
                .findFirst()
                .map(DatasetDocument::dataDictionary)
                .orElse(DataDictionary.EMPTY);
    }

    /** The drafts of a newly stored dataset read from {@code canonical}. Blocking (one pass over the file). */
    public DatasetDocument drafted(DatasetDocument dataset, Path canonical) {
        return dataset.withDictionary(DictionaryDrafts.draft(dataset.schema(), canonical, config.draftMaxCodes()));
    }

    /** A refreshed dataset keeps the entries of {@code old} for the columns it still has; the others are reported. */
    public static DatasetDocument refreshed(DatasetDocument fresh, DatasetDocument old) {
        if (old.dictionary() == null) {
            return fresh;
        }
        Set<String> columns = fresh.schema().columnNames().stream().collect(Collectors.toSet());
        return fresh.withDictionary(old.dictionary().keeping(columns));
    }
}

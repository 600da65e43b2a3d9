package io.llmanalytics.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Comparator;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend, its collections' documents held as BSON ({@link DocumentValues}). The maps and their
 * names are H2Database's own ({@code databases.<db>.<collection>} for the documents, {@code meta.<db>.<collection>}
 * for the collection's counters), so a store file the plain backend wrote (an earlier version of the service) opens
 * here with all its documents. The other way round does not hold: the plain backend cannot read a document written as
 * BSON, so a store file written here cannot be opened by a version of the service from before this class.
 */
final class EmbeddedH2Backend extends H2Backend {

    EmbeddedH2Backend(MVStore store) {
        super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * An H2 database whose collections' document maps use {@link DocumentValues}. An inner class: H2Database's
     * constructor opens the existing collections (through {@link #openOrCreateCollection}) before this class's own
     * fields could be set, but the enclosing backend, and with it the store, is there from the start.
     */
    final class Database extends H2Database {

        Database(String name) {
            super(name, getMvStore(), getCursorRegistry());
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            MVStore store = getMvStore();
            String fullName = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> documents = store.openMap(
                    "databases." + fullName, new MVMap.Builder<Object, Document>().valueType(new DocumentValues()));
            MVMap<String, Object> meta = store.openMap("meta." + fullName);
            return new Collection(this, collectionName, options, documents, meta, cursorRegistry);
        }
    }

    /**
     * An H2 collection that hands out copies of its documents, never the instances its map holds. mongo-java-server
     * updates a document in place: it changes the instance a query returned, then puts it back. But that instance is
     * the one in the map, which H2's background writer may be serialising at that moment: the writer then fails on a
     * {@code ConcurrentModificationException} and closes the store, and every later command fails (or, had
     * the iteration not noticed, a torn document would be written). A copy is changed instead, and put in its place.
     * Matching runs on the held documents; only those that match are copied.
     */
    final class Collection extends H2Collection {

        Collection(
                Database database,
                String collectionName,
                CollectionOptions options,
                MVMap<Object, Document> documents,
                MVMap<String, Object> meta,
                CursorRegistry cursors) {
            super(database, collectionName, options, documents, meta, cursors);
        }

        @Override
        protected QueryResult matchDocumentsFromStream(
                Document query,
                Stream<Document> documents,
                int numberToSkip,
                int limit,
                int batchSize,
                Comparator<Document> comparator,
                Document fieldSelector) {
            Stream<Document> copies = documents
                    .filter(document -> documentMatchesQuery(document, query))
                    .map(Document::cloneDeeply);
            return super.matchDocumentsFromStream(
                    query, copies, numberToSkip, limit, batchSize, comparator, fieldSelector);
        }
    }
}

package io.llmanalytics.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
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
            return new H2Collection(this, collectionName, options, documents, meta, cursorRegistry);
        }
    }
}

package com.dehive.calling.service.store;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import org.h2.mvstore.MVStore;

import java.util.List;

/**
 * mongo-java-server's databases with {@link OrderedIndex} for the non-unique indexes they ignore: the memory backend
 * here, the H2 one in {@link DurableH2Backend}.
 */
final class IndexedBackends {

    private IndexedBackends() {
    }

    static final class Memory extends MemoryBackend {

        @Override
        public MemoryDatabase openOrCreateDatabase(String databaseName) {
            return new IndexedMemoryDatabase(databaseName, getCursorRegistry());
        }
    }

    static final class IndexedH2Database extends H2Database {

        IndexedH2Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, store, cursors);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collection, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            return new OrderedIndex<>(indexName, keys);
        }
    }

    private static final class IndexedMemoryDatabase extends MemoryDatabase {

        IndexedMemoryDatabase(String name, CursorRegistry cursors) {
            super(name, cursors);
        }

        @Override
        protected Index<Integer> openOrCreateSecondaryIndex(String collection, String indexName, List<IndexKey> keys,
                                                            boolean sparse) {
            return new OrderedIndex<>(indexName, keys);
        }
    }
}

package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.IndexBuildFailedException;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.MVMap;

import java.util.List;

/**
 * mongo-java-server's databases with {@link OrderedIndex} for the non-unique indexes they ignore, and collections
 * that answer a sorted query a batch at a time in that index's order ({@link IndexOrderedCursor}): the memory
 * backend here, the H2 one with {@link DurableH2Backend}.
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

    /**
     * A collection of the H2 backend. The stock one stores each document under its {@code _id}: with random ids
     * (call ids, user ids), inserts and updates land on pages all over the map, so an H2 commit writes most of the
     * map's pages again and a rebuild keeps missing the page cache (a rebuild's profile was dominated by reading
     * evicted pages back and committing). A collection created here stores its
     * documents under their insertion number instead, as MongoDB's own storage does: inserts go to the map's last
     * page, and the writes of a few seconds touch a few pages. The {@code _id} index, in memory, finds a document's
     * number. Collections in files written before (by the stock backend, or before this change) keep their keys.
     */
    static final class IndexedH2Collection extends H2Collection {

        /** In a collection's meta map: the number its next document is stored under, in position-keyed ones only. */
        static final String NEXT_POSITION = "nextPosition";

        private final MVMap<Object, Document> documents;
        private final MVMap<String, Object> meta;
        private final boolean keyedByPosition;

        IndexedH2Collection(MongoDatabase database, String name, CollectionOptions options,
                            MVMap<Object, Document> documents, MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, documents, meta, cursors);
            this.documents = documents;
            this.meta = meta;
            if (!meta.containsKey(NEXT_POSITION) && documents.isEmpty()) {
                meta.put(NEXT_POSITION, 0L);
            }
            this.keyedByPosition = meta.containsKey(NEXT_POSITION);
        }

        /** Inserts run one at a time: {@code AbstractSynchronizedMongoCollection} holds the collection's lock. */
        @Override
        protected Object addDocumentInternal(Document document) {
            if (!keyedByPosition) {
                return super.addDocumentInternal(document);
            }
            long position = (Long) meta.get(NEXT_POSITION);
            // the meta map is saved by the same commit as the document, so a number is never handed out twice
            meta.put(NEXT_POSITION, position + 1);
            Document previous = documents.putIfAbsent(position, document);
            if (previous != null) {
                throw new IllegalStateException("position " + position + " of " + getFullName() + " is taken");
            }
            return position;
        }

        /**
         * Builds a new in-memory index in one pass over the documents; the stock build reads them all twice (checks,
         * then adds), and every index of the store is built this way each time the file opens: a million events took
         * over three minutes to open.
         */
        @Override
        public void addIndex(Index<Object> index) {
            boolean known = getIndexes().stream().anyMatch(existing -> existing.getName().equals(index.getName()));
            if (!known && index.isEmpty()) {
                try {
                    streamAllDocumentsWithPosition().forEach(stored -> {
                        index.checkAdd(stored.getDocument(), this);
                        index.add(stored.getDocument(), stored.getPosition(), this);
                    });
                } catch (MongoServerError e) {
                    throw new IndexBuildFailedException(e, this); // as the stock build reports it
                }
            }
            super.addIndex(index); // registers it; an index already filled is not read again
        }

        /**
         * The stock collection keeps its data size up to date on every write: each insert, update and delete worked
         * out the BSON size of the document (twice for an update) and rewrote a counter in the meta map, much of the
         * store's time in a rebuild. Only {@code collStats}, {@code dbStats} and {@code validate} ask for it, so
         * it is counted when they do.
         */
        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected int getDataSize() {
            if (documents == null) {
                return 0; // asked by the stock constructor for a debug line, before this collection is set up
            }
            long size = 0;
            ByteBuf buffer = Unpooled.buffer();
            try {
                for (Document document : documents.values()) {
                    buffer.clear();
                    BsonEncoder.encodeDocument(document, buffer);
                    size += buffer.writerIndex();
                }
            } finally {
                buffer.release();
            }
            return (int) Math.min(size, Integer.MAX_VALUE);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fieldSelector) {
            QueryResult inIndexOrder = IndexOrderedCursor.query(this, cursorRegistry, query, orderBy, skip, limit,
                    batchSize, fieldSelector, this::getDocument, this::documentMatchesQuery);
            return inIndexOrder != null ? inIndexOrder
                    : super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
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

        @Override
        protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new IndexedMemoryCollection(this, collectionName, options, cursorRegistry);
        }
    }

    private static final class IndexedMemoryCollection extends MemoryCollection {

        IndexedMemoryCollection(MongoDatabase database, String name, CollectionOptions options,
                                CursorRegistry cursors) {
            super(database, name, options, cursors);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                             Document fieldSelector) {
            QueryResult inIndexOrder = IndexOrderedCursor.query(this, cursorRegistry, query, orderBy, skip, limit,
                    batchSize, fieldSelector, this::getDocument, this::documentMatchesQuery);
            return inIndexOrder != null ? inIndexOrder
                    : super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
        }
    }
}

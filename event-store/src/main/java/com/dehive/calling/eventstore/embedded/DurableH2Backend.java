package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * mongo-java-server's H2 backend, with commits that a {@code kill -9} cannot tear.
 *
 * <p>An H2 commit saves each map (a collection's documents, each of its indexes) as it finds it at that moment, one
 * after the other. The plain backend commits in the background and when enough is unsaved, while commands run: a
 * file cut after such a commit can hold a document without its index entry, or a processor's token without the
 * read-model write the processor made before it. Here nothing commits behind our back, and a commit waits until no
 * command is running, so the file always holds every command acknowledged before the commit and none of the later
 * ones.
 *
 * <p>Its databases keep their indexes in memory, rebuilt from the documents at open: unique ones ({@link
 * InMemoryUniqueIndex}) and the non-unique ones the plain backend ignores ({@link OrderedIndex}), which it scans for.
 *
 * <p>A commit forces the file to disk before it returns. Commits are grouped: a caller whose writes a commit already
 * in progress does not cover waits for the next one, and every caller queued behind that one is covered by it, so
 * concurrent commands share one force.
 */
final class DurableH2Backend extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);
    private static final int CACHE_MB = 256;

    /** Commands hold it shared; a commit holds it alone. */
    private final ReadWriteLock commands = new ReentrantReadWriteLock();
    private final Object committing = new Object();
    private final AtomicLong commitsAsked = new AtomicLong();
    /** The last ticket whose writes a finished commit covers; guarded by {@link #committing}. */
    private long commitsCovered;
    private final ScheduledExecutorService background;

    private DurableH2Backend(MVStore store, Duration backgroundCommitInterval) {
        super(store);
        background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "embedded-store-commit");
            thread.setDaemon(true);
            return thread;
        });
        // writes made outside a unit of work (and every write of the standalone store) are saved by this
        long millis = backgroundCommitInterval.toMillis();
        background.scheduleWithFixedDelay(this::commitQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    static DurableH2Backend open(Path file, Duration backgroundCommitInterval) {
        MVStore store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                // no commit triggered from inside a write once enough is unsaved either
                .autoCommitBufferSize(0)
                // pages stay in memory deserialized (the backend stores documents and index keys as serialized Java
                // objects, read back on every miss): the default 16 MB missed on most reads of a rebuild
                .cacheSize(CACHE_MB)
                .open();
        return new DurableH2Backend(store, backgroundCommitInterval);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new IndexedH2Database(databaseName);
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        return whileNoCommit(() -> super.handleMessage(message));
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return whileNoCommit(() -> super.handleQuery(query));
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        return whileNoCommit(() -> super.handleCommand(channel, database, command, query));
    }

    private <T> T whileNoCommit(Supplier<T> work) {
        commands.readLock().lock();
        try {
            return work.get();
        } finally {
            commands.readLock().unlock();
        }
    }

    /** Returns once every command acknowledged before this call is in the file. */
    @Override
    public void commit() {
        long ticket = commitsAsked.incrementAndGet();
        synchronized (committing) {
            if (commitsCovered >= ticket) {
                return;
            }
            // every ticket handed out so far was asked for after its writes: this commit covers them all
            long covering = commitsAsked.get();
            commands.writeLock().lock();
            try {
                super.commit();
            } finally {
                commands.writeLock().unlock();
            }
            // written is not yet durable: without the force, a power loss could lose what was acknowledged. Commands
            // go on meanwhile (they change only memory); the next commit waits for this one.
            getMvStore().sync();
            commitsCovered = covering;
        }
    }

    private void commitQuietly() {
        try {
            if (getMvStore().hasUnsavedChanges()) {
                commit();
            }
        } catch (RuntimeException e) {
            log.warn("event=embedded_store_commit_failed error={}", e.toString());
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        // closing the store commits what is left, so it too waits for running commands
        commands.writeLock().lock();
        try {
            super.close();
        } finally {
            commands.writeLock().unlock();
        }
    }

    /**
     * H2's database with its indexes in memory ({@link InMemoryUniqueIndex}, and {@link OrderedIndex} for the
     * non-unique indexes it ignores), and collections that answer sorted queries in index order. An inner class:
     * H2Database opens the stored collections from its constructor, before a field of a subclass is set, and
     * {@link #openOrCreateCollection} needs the store (the backend's).
     */
    private final class IndexedH2Database extends H2Database {

        IndexedH2Database(String name) {
            super(name, getMvStore(), getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collection, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            return new InMemoryUniqueIndex<>(indexName, keys, sparse);
        }

        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collection, String indexName, List<IndexKey> keys,
                                                           boolean sparse) {
            return new OrderedIndex<>(indexName, keys);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // the maps H2Database opens for a collection, named as it names them, so that files written before
            // (and by the plain H2 backend) read as they were
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> documents = getMvStore().openMap("databases." + namespace);
            MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
            return new IndexedBackends.IndexedH2Collection(this, collectionName, options, documents, meta,
                    cursorRegistry);
        }
    }
}

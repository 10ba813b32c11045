package com.dehive.calling.service.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process MongoDB-wire store of the embedded default (mongo-java-server), listening on a free loopback port.
 * With the H2 backend, {@link #commit()} writes everything acknowledged so far to the file; it runs at the end of
 * every unit of work, so a {@code kill -9} loses nothing that was acknowledged.
 */
public class EmbeddedStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    private final MongoServer server;
    private final H2Backend h2;
    private final InetSocketAddress address;
    private final Object commitLock = new Object();
    private final AtomicLong commitsAsked = new AtomicLong();
    /** The last ticket whose writes a finished commit covered; read and written under commitLock. */
    private long commitsCovered;

    private EmbeddedStore(MongoServer server, H2Backend h2) {
        this.server = server;
        this.h2 = h2;
        server.bind("127.0.0.1", 0);
        this.address = server.getLocalAddress();
        // Operators can point mongosh at it while the service runs.
        log.info("event=embedded_store_listening connection={}", connectionString());
    }

    public static EmbeddedStore inFile(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        Path file = dataDir.resolve("calling.mv");
        H2Backend backend = new IndexedBackends.H2(file.toString());
        log.info("event=embedded_store_started backend=h2 file={}", file.toAbsolutePath());
        return new EmbeddedStore(new MongoServer(backend), backend);
    }

    public static EmbeddedStore inMemory() {
        log.info("event=embedded_store_started backend=memory");
        return new EmbeddedStore(new MongoServer(new IndexedBackends.Memory()), null);
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /**
     * Makes every write acknowledged so far durable; a no-op in memory. Every unit of work calls it, from many
     * threads at once, and each H2 commit writes the whole store's changes: callers that queue up behind a commit
     * that began after their writes are covered by it and return at once (a group commit).
     */
    public void commit() {
        if (h2 == null || !h2.getMvStore().hasUnsavedChanges()) {
            return;
        }
        long ticket = commitsAsked.incrementAndGet();
        synchronized (commitLock) {
            if (commitsCovered >= ticket) {
                return;
            }
            long covering = commitsAsked.get();
            h2.commit();
            commitsCovered = covering;
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}

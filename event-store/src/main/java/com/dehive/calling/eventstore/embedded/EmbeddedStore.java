package com.dehive.calling.eventstore.embedded;

import com.dehive.calling.eventstore.config.InProcessStore;
import de.bwaldvogel.mongo.MongoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The in-process MongoDB-wire store of the embedded default (mongo-java-server), listening on a free loopback port.
 * With the H2 backend, {@link #commit()} writes everything acknowledged so far to the file; it runs at the end of
 * every unit of work, so a {@code kill -9} loses nothing that was acknowledged (see {@link DurableH2Backend}).
 */
public class EmbeddedStore implements InProcessStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    /** How soon a write made outside any unit of work reaches the file. */
    static final Duration BACKGROUND_COMMIT = Duration.ofSeconds(1);

    private final MongoServer server;
    private final DurableH2Backend h2;
    private final InetSocketAddress address;

    private EmbeddedStore(MongoServer server, DurableH2Backend h2) {
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
        DurableH2Backend backend = DurableH2Backend.open(file, BACKGROUND_COMMIT);
        log.info("event=embedded_store_started backend=h2 file={}", file.toAbsolutePath());
        return new EmbeddedStore(new MongoServer(backend), backend);
    }

    public static EmbeddedStore inMemory() {
        log.info("event=embedded_store_started backend=memory");
        return new EmbeddedStore(new MongoServer(new IndexedBackends.Memory()), null);
    }

    @Override
    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    /** Makes every write acknowledged so far durable; a no-op in memory. */
    @Override
    public void commit() {
        if (h2 != null) {
            h2.commit();
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}

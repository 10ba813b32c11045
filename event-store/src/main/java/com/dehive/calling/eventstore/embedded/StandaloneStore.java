package com.dehive.calling.eventstore.embedded;

import de.bwaldvogel.mongo.MongoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded MongoDB-wire store as a process of its own, so that several nodes on one machine can share it
 * without a MongoDB server (a local cluster, and the two-node tests). Not for production: it has no replication,
 * and with a data directory the file is written about once a second (the nodes cannot ask for
 * a commit over the wire), whole commands only.
 *
 * <pre>java -cp calling-service.jar -Dloader.main=com.dehive.calling.eventstore.embedded.StandaloneStore \
 *     org.springframework.boot.loader.launch.PropertiesLauncher [port] [data-dir]</pre>
 */
public final class StandaloneStore {

    private static final Logger log = LoggerFactory.getLogger(StandaloneStore.class);

    private StandaloneStore() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        MongoServer server;
        if (args.length > 1) {
            Path dataDir = Path.of(args[1]);
            Files.createDirectories(dataDir);
            server = new MongoServer(DurableH2Backend.open(dataDir.resolve("calling.mv"),
                    EmbeddedStore.BACKGROUND_COMMIT));
        } else {
            server = new MongoServer(new IndexedBackends.Memory());
        }
        server.bind("127.0.0.1", port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            stopped.countDown();
        }));
        log.info("event=standalone_store_listening connection=mongodb://127.0.0.1:{}", port);
        stopped.await();
    }
}

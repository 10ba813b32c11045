package com.dehive.calling.eventstore.embedded;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code kill -9} leaves the file as the last commit wrote it. Copies of the file taken right after commits made
 * while writers kept writing stand for such crashes: each must hold whole commands, and for each writer a prefix of
 * what it wrote (a "token" never ahead of the documents written before it, as a tracking processor writes them).
 */
class DurableH2BackendTest {

    private static final int WRITERS = 4;
    private static final int CRASHES = 40;

    @TempDir
    Path dir;

    @Test
    void a_file_cut_after_any_commit_holds_whole_commands_in_the_order_they_were_acknowledged() throws Exception {
        Path file = dir.resolve("live.mv");
        List<Path> crashes = new ArrayList<>();
        DurableH2Backend backend = DurableH2Backend.open(file, Duration.ofHours(1));
        MongoServer server = new MongoServer(backend);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
            MongoDatabase db = client.getDatabase("test");
            // a second unique index: each insert touches three maps of the store
            db.getCollection("calls").createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String writer = "w" + w;
                running.add(writers.submit(() -> {
                    for (int i = 0; writing.get(); i++) {
                        db.getCollection("calls").insertOne(new Document("_id", writer + "-" + i)
                                .append("key", writer + ":" + i));
                        db.getCollection("tokens").replaceOne(Filters.eq("_id", writer),
                                new Document("_id", writer).append("upTo", i), new ReplaceOptions().upsert(true));
                    }
                    return null;
                }));
            }
            for (int crash = 0; crash < CRASHES; crash++) {
                Thread.sleep(5);
                backend.commit();
                // the writers go on while the copy is taken; only commits write the file
                Path copy = dir.resolve("crash-" + crash + ".mv");
                Files.copy(file, copy);
                crashes.add(copy);
            }
            writing.set(false);
            for (Future<?> writer : running) {
                writer.get();
            }
        } finally {
            writers.shutdownNow();
            server.shutdownNow();
        }

        long tokensSeen = 0;
        for (Path crash : crashes) {
            tokensSeen += assertWholeAndInOrder(crash);
        }
        assertThat(tokensSeen).as("the copies hold writes at all").isGreaterThan(0);
    }

    private static long assertWholeAndInOrder(Path crash) {
        DurableH2Backend backend = DurableH2Backend.open(crash, Duration.ofHours(1));
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
            MongoDatabase db = client.getDatabase("test");
            long scanned = db.getCollection("calls").countDocuments();
            long indexed = 0;
            List<Document> tokens = db.getCollection("tokens").find().into(new ArrayList<>());
            for (Document token : tokens) {
                String writer = token.getString("_id");
                int upTo = token.getInteger("upTo");
                for (int i = 0; i <= upTo; i++) {
                    assertThat(db.getCollection("calls").find(Filters.eq("_id", writer + "-" + i)).first())
                            .as("%s: %s-%d, written before its token %d", crash.getFileName(), writer, i, upTo)
                            .isNotNull();
                    assertThat(db.getCollection("calls").find(Filters.eq("key", writer + ":" + i)).first())
                            .as("%s: the unique index entry of %s-%d", crash.getFileName(), writer, i)
                            .isNotNull();
                }
            }
            // every document is reachable through each index, none only half written
            for (Document call : db.getCollection("calls").find()) {
                assertThat(db.getCollection("calls").find(Filters.eq("key", call.getString("key"))).first())
                        .as("%s: index entry of %s", crash.getFileName(), call.get("_id")).isNotNull();
                indexed++;
            }
            assertThat(indexed).isEqualTo(scanned);
            return tokens.size();
        } finally {
            server.shutdownNow();
        }
    }
}

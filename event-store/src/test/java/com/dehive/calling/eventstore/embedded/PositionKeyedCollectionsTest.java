package com.dehive.calling.eventstore.embedded;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Collections of the embedded file store keep their documents under their insertion number (writes of a few seconds
 * touch a few pages), and collections of files written before keep theirs under their {@code _id}.
 */
class PositionKeyedCollectionsTest {

    @TempDir
    Path dir;

    @Test
    void a_new_collection_numbers_its_documents_in_insertion_order_across_restarts() {
        Path file = dir.resolve("store.mv");
        List<String> ids = randomIds(5);
        withDurableStore(file, calls -> ids.forEach(id -> calls.insertOne(new Document("_id", id).append("n", 1))));

        assertThat(storedKeys(file, "calls")).containsExactly(0L, 1L, 2L, 3L, 4L);

        String later = "later-" + UUID.randomUUID();
        withDurableStore(file, calls -> {
            calls.insertOne(new Document("_id", later));
            calls.updateOne(Filters.eq("_id", ids.get(2)), Updates.set("n", 2));
            calls.deleteOne(Filters.eq("_id", ids.get(0)));
            assertThat(calls.find(Filters.eq("_id", ids.get(2))).first()).containsEntry("n", 2);
            assertThat(calls.find(Filters.eq("_id", later)).first()).isNotNull();
            assertThat(calls.countDocuments()).isEqualTo(5);
        });

        // numbers go on after a restart and are never handed out twice, not even a deleted document's
        assertThat(storedKeys(file, "calls")).containsExactly(1L, 2L, 3L, 4L, 5L);
        withDurableStore(file, calls -> {
            calls.insertOne(new Document("_id", "after-the-delete"));
            assertThat(calls.find(Filters.eq("_id", ids.get(2))).first()).containsEntry("n", 2);
        });
        assertThat(storedKeys(file, "calls")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void a_file_written_before_keeps_its_keys_and_reads_and_writes_as_it_did() {
        Path file = dir.resolve("before.mv");
        List<String> ids = randomIds(3);
        H2Backend stock = new H2Backend(file.toString());
        withStore(stock, database -> ids.forEach(id ->
                database.getCollection("calls").insertOne(new Document("_id", id).append("n", 1))));

        withDurableStore(file, calls -> {
            assertThat(calls.find(Filters.eq("_id", ids.get(1))).first()).containsEntry("n", 1);
            calls.updateOne(Filters.eq("_id", ids.get(1)), Updates.set("n", 2));
            calls.insertOne(new Document("_id", "added-later"));
        });
        withDurableStore(file, calls -> {
            assertThat(calls.find(Filters.eq("_id", ids.get(1))).first()).containsEntry("n", 2);
            assertThat(calls.countDocuments()).isEqualTo(4);
        });

        List<Object> expected = new ArrayList<>(ids);
        expected.add("added-later");
        assertThat(storedKeys(file, "calls")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void collection_stats_count_the_size_of_the_documents_stored_now() {
        withStore(DurableH2Backend.open(dir.resolve("stats.mv"), Duration.ofHours(1)), database -> {
            MongoCollection<Document> calls = database.getCollection("calls");
            List<String> ids = randomIds(3);
            ids.forEach(id -> calls.insertOne(new Document("_id", id).append("status", "ringing")));
            calls.updateOne(Filters.eq("_id", ids.get(0)), Updates.set("status", "connected with a longer value"));
            calls.deleteOne(Filters.eq("_id", ids.get(1)));

            long expected = 0;
            for (Document stored : calls.find()) {
                expected += new RawBsonDocument(stored, new DocumentCodec()).getByteBuffer().remaining();
            }
            Document stats = database.runCommand(new Document("collStats", "calls"));
            assertThat(stats.get("size", Number.class).longValue()).isEqualTo(expected);
            assertThat(stats.get("count", Number.class).longValue()).isEqualTo(2);
        });
    }

    private void withDurableStore(Path file, Consumer<MongoCollection<Document>> work) {
        withStore(DurableH2Backend.open(file, Duration.ofHours(1)),
                database -> work.accept(database.getCollection("calls")));
    }

    /** Runs the work against database "test" served by the backend, then closes it. */
    private static void withStore(MongoBackend backend, Consumer<MongoDatabase> work) {
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.bind().getPort())) {
            work.accept(client.getDatabase("test"));
        } finally {
            server.shutdownNow(); // closes the backend, which commits what is left
        }
    }

    private static List<Object> storedKeys(Path file, String collection) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            MVMap<Object, Object> documents = store.openMap("databases.test." + collection);
            return new ArrayList<>(documents.keySet());
        } finally {
            store.close();
        }
    }

    private static List<String> randomIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }
}

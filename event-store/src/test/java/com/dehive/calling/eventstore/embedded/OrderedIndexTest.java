package com.dehive.calling.eventstore.embedded;

import com.mongodb.DuplicateKeyException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded store with ordered indexes answers exactly what it answers without them. */
class OrderedIndexTest {

    private static final List<Bson> QUERIES = List.of(
            Filters.eq("aggregateIdentifier", "agg-3"),
            Filters.and(Filters.eq("aggregateIdentifier", "agg-3"), Filters.gte("sequenceNumber", 2)),
            Filters.gte("timestamp", "2026-11-29T10:00:30Z"),
            Filters.and(Filters.gte("timestamp", "2026-11-29T10:00:30Z"), Filters.nin("eventIdentifier", "e-40", "e-41")),
            Filters.and(Filters.gt("timestamp", "2026-11-29T10:00:10Z"), Filters.lt("timestamp", "2026-11-29T10:00:20Z")),
            Filters.lte("timestamp", "2026-11-29T10:00:05.5Z"),
            Filters.in("aggregateIdentifier", "agg-1", "agg-7", "nobody"),
            Filters.eq("participants", "user-4"),
            Filters.and(Filters.eq("participants", "user-4"), Filters.in("status", "ringing", "connected")),
            Filters.lte("due_at", Date.from(Instant.parse("2026-11-29T10:00:20Z"))),
            Filters.gte("timestamp", 5), // another type: nothing
            Filters.eq("aggregateIdentifier", "agg-404"));

    @Test
    void indexed_queries_answer_as_unindexed_ones_through_inserts_updates_and_deletes() {
        try (Store plain = new Store(new MemoryBackend()); Store indexed = new Store(new IndexedBackends.Memory())) {
            for (Store store : List.of(plain, indexed)) {
                fill(store.events());
                store.events().updateMany(Filters.eq("aggregateIdentifier", "agg-5"),
                        Updates.set("timestamp", "2026-11-29T10:00:31Z"));
                store.events().updateOne(Filters.eq("eventIdentifier", "e-7"),
                        Updates.set("participants", List.of("user-4", "user-9")));
                // leaves every indexed first field as it was
                store.events().updateMany(Filters.eq("sequenceNumber", 1), Updates.set("status", "connected"));
                store.events().deleteMany(Filters.eq("aggregateIdentifier", "agg-2"));
            }
            for (Bson query : QUERIES) {
                assertThat(ids(indexed.events(), query)).as(query.toString()).isEqualTo(ids(plain.events(), query));
            }
            assertThat(ids(indexed.events(), QUERIES.get(2))).isNotEmpty();
        }
    }

    @Test
    void sorted_queries_read_a_batch_at_a_time_answer_as_unindexed_ones_in_the_same_order() {
        List<Bson> sorts = List.of(
                Sorts.ascending("timestamp", "sequenceNumber", "_id"), // Axon's tracked-event order, in index order
                Sorts.ascending("aggregateIdentifier", "_id"),
                Sorts.descending("timestamp", "_id"), // not the index's order: answered as before
                Sorts.ascending("participants", "_id")); // arrays: answered as before
        try (Store plain = new Store(new MemoryBackend()); Store indexed = new Store(new IndexedBackends.Memory())) {
            for (Store store : List.of(plain, indexed)) {
                fill(store.events());
                store.events().updateMany(Filters.eq("aggregateIdentifier", "agg-5"),
                        Updates.set("timestamp", "2026-11-29T10:00:31Z")); // several documents share a value
            }
            Bson wholeStream = Filters.and(Filters.gte("timestamp", "2026-11-29T10:00:00Z"),
                    Filters.nin("eventIdentifier", "e-0", "e-1"));
            List<String> seen = new ArrayList<>(List.of("not-stored"));
            for (int i = 10; i < 50; i += 2) {
                seen.add("e-" + i);
            }
            // Axon's tracked-event query excludes the ids of its look-back window: a list long enough for a set
            Bson afterLookBack = Filters.and(Filters.gte("timestamp", "2026-11-29T10:00:05Z"),
                    Filters.nin("eventIdentifier", seen));
            for (Bson query : concat(concat(QUERIES, wholeStream), afterLookBack)) {
                for (Bson sort : sorts) {
                    for (int[] page : new int[][] {{7, 0, 0}, {1, 0, 0}, {0, 5, 0}, {4, 9, 3}, {100, 0, 11}}) {
                        String what = query + " " + sort + " batch " + page[0] + " limit " + page[1] + " skip " + page[2];
                        assertThat(ids(indexed.events(), query, sort, page)).as(what)
                                .isEqualTo(ids(plain.events(), query, sort, page));
                    }
                }
            }
            assertThat(ids(indexed.events(), wholeStream, sorts.get(0), new int[] {7, 0, 0})).hasSize(58);
            assertThat(ids(indexed.events(), afterLookBack, sorts.get(0), new int[] {7, 0, 0})).isNotEmpty();
        }
    }

    @Test
    void unique_indexes_refuse_duplicates_after_the_store_is_opened_again(@TempDir Path dir) {
        Path file = dir.resolve("calling.mv");
        try (Store store = new Store(DurableH2Backend.open(file, Duration.ofHours(1)))) {
            store.events().createIndex(Indexes.ascending("eventIdentifier"), new IndexOptions().unique(true));
            fill(store.events());
        }
        try (Store reopened = new Store(DurableH2Backend.open(file, Duration.ofHours(1)))) {
            MongoCollection<Document> events = reopened.events();
            Document stored = events.find(Filters.eq("_id", "id-12")).first();
            assertThat(stored).isNotNull();
            assertThatThrownBy(() -> events.insertOne(new Document("_id", "id-12")))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            assertThatThrownBy(() -> events.insertOne(new Document("_id", "another")
                    .append("eventIdentifier", stored.get("eventIdentifier"))))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            events.deleteOne(Filters.eq("_id", "id-12"));
            events.insertOne(new Document("_id", "id-12").append("eventIdentifier", stored.get("eventIdentifier")));
            assertThat(events.countDocuments()).isEqualTo(60);
        }
    }

    @Test
    void unique_indexes_answer_queries_that_name_their_fields_beside_other_conditions(@TempDir Path dir) {
        Date now = Date.from(Instant.parse("2026-11-29T10:00:20Z"));
        List<Bson> queries = List.of(
                Filters.and(Filters.eq("userA", "u-1"), Filters.eq("userB", "u-2")), // rendered as an $and
                Filters.and(Filters.eq("userA", "u-1"), Filters.eq("userB", "nobody")),
                Filters.and(Filters.eq("_id", "c-3"), Filters.lte("claimed_until", now)),
                Filters.and(Filters.eq("_id", "c-3"), Filters.gt("claimed_until", now)),
                Filters.and(Filters.eq("userA", 1), Filters.eq("userB", 2L)), // numbers compare as numbers
                Filters.eq("userA", "u-1"), // not every field of the index: scanned
                Filters.and(Filters.eq("userA", "u-1"), Filters.in("userB", "u-2", "u-3")));
        Consumer<MongoCollection<Document>> fill = conversations -> {
            conversations.createIndex(Indexes.ascending("userA", "userB"), new IndexOptions().unique(true));
            for (int i = 0; i < 6; i++) {
                conversations.insertOne(new Document("_id", "c-" + i).append("userA", "u-" + (i % 2))
                        .append("userB", "u-" + (i + 1)).append("claimed_until", Date.from(now.toInstant()
                                .plusSeconds(i - 3))));
            }
            conversations.insertOne(new Document("_id", "c-n").append("userA", 1.0).append("userB", 2));
        };
        try (Store plain = new Store(new MemoryBackend());
             Store durable = new Store(DurableH2Backend.open(dir.resolve("calling.mv"), Duration.ofHours(1)))) {
            fill.accept(plain.events());
            fill.accept(durable.events());
            for (Bson query : queries) {
                assertThat(ids(durable.events(), query)).as(query.toString()).isEqualTo(ids(plain.events(), query));
            }
            assertThat(ids(durable.events(), queries.get(0))).containsExactly("c-1");
            assertThat(ids(durable.events(), queries.get(2))).containsExactly("c-3");
            assertThat(ids(durable.events(), queries.get(4))).containsExactly("c-n");
        }
        InMemoryUniqueIndex<Integer> pair = new InMemoryUniqueIndex<>("userA_1_userB_1",
                List.of(new IndexKey("userA", true), new IndexKey("userB", true)), false);
        var userA = new de.bwaldvogel.mongo.bson.Document("userA", "u-1");
        var userB = new de.bwaldvogel.mongo.bson.Document("userB", "u-2");
        assertThat(pair.canHandle(new de.bwaldvogel.mongo.bson.Document("$and", List.of(userA, userB)))).isTrue();
        assertThat(pair.canHandle(new de.bwaldvogel.mongo.bson.Document("$and", List.of(userA)))).isFalse();
        assertThat(pair.canHandle(new de.bwaldvogel.mongo.bson.Document("$and", List.of(userA,
                new de.bwaldvogel.mongo.bson.Document("userB", new de.bwaldvogel.mongo.bson.Document("$gt", "u")))))).isFalse();
    }

    @Test
    void a_unique_index_over_duplicates_is_refused_and_not_kept(@TempDir Path dir) {
        try (Store store = new Store(DurableH2Backend.open(dir.resolve("calling.mv"), Duration.ofHours(1)))) {
            MongoCollection<Document> events = store.events();
            events.insertOne(new Document("_id", "a").append("eventIdentifier", "e-1"));
            events.insertOne(new Document("_id", "b").append("eventIdentifier", "e-1"));
            assertThatThrownBy(() -> events.createIndex(Indexes.ascending("eventIdentifier"),
                    new IndexOptions().unique(true)))
                    .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("Index build failed");
            events.insertOne(new Document("_id", "c").append("eventIdentifier", "e-1"));
            assertThat(events.countDocuments()).isEqualTo(3);
        }
    }

    @Test
    void a_file_the_stock_h2_backend_wrote_reads_the_same(@TempDir Path dir) {
        Path file = dir.resolve("calling.mv");
        List<List<String>> before = new ArrayList<>();
        MVStore stock = new MVStore.Builder().fileName(file.toString()).open();
        try (Store store = new Store(new H2Backend(stock))) {
            fill(store.events());
            QUERIES.forEach(query -> before.add(ids(store.events(), query)));
        }
        try (Store reopened = new Store(DurableH2Backend.open(file, Duration.ofHours(1)))) {
            indexes(reopened.events());
            for (int i = 0; i < QUERIES.size(); i++) {
                assertThat(ids(reopened.events(), QUERIES.get(i))).as(QUERIES.get(i).toString())
                        .isEqualTo(before.get(i));
            }
            assertThat(reopened.events().countDocuments()).isEqualTo(60);
        }
    }

    @Test
    void an_h2_store_opened_again_rebuilds_its_indexes_from_the_stored_documents(@TempDir Path dir) {
        Path file = dir.resolve("calling.mv");
        List<List<String>> before = new ArrayList<>();
        try (Store store = new Store(DurableH2Backend.open(file, Duration.ofHours(1)))) {
            fill(store.events());
            QUERIES.forEach(query -> before.add(ids(store.events(), query)));
        }
        try (Store reopened = new Store(DurableH2Backend.open(file, Duration.ofHours(1)))) {
            indexes(reopened.events()); // as the service does at every start
            for (int i = 0; i < QUERIES.size(); i++) {
                assertThat(ids(reopened.events(), QUERIES.get(i))).as(QUERIES.get(i).toString())
                        .isEqualTo(before.get(i));
            }
            assertThat(before.get(0)).isNotEmpty();
        }
    }

    @Test
    void answers_the_shapes_of_axons_and_the_services_queries_and_leaves_the_rest_to_a_scan() {
        OrderedIndex<Integer> timestamp = new OrderedIndex<>("timestamp_1_sequenceNumber_1",
                List.of(new IndexKey("timestamp", true), new IndexKey("sequenceNumber", true)));
        var range = new de.bwaldvogel.mongo.bson.Document("$gte", "2026-11-29T10:00:00Z");
        var tracking = new de.bwaldvogel.mongo.bson.Document("$and", List.of(
                new de.bwaldvogel.mongo.bson.Document("timestamp", range),
                new de.bwaldvogel.mongo.bson.Document("eventIdentifier",
                        new de.bwaldvogel.mongo.bson.Document("$nin", List.of("e-1")))));
        assertThat(timestamp.canHandle(tracking)).isTrue();
        assertThat(timestamp.canHandle(new de.bwaldvogel.mongo.bson.Document("timestamp", range))).isTrue();
        assertThat(timestamp.canHandle(new de.bwaldvogel.mongo.bson.Document("timestamp", "x"))).isTrue();
        assertThat(timestamp.canHandle(new de.bwaldvogel.mongo.bson.Document("timestamp",
                new de.bwaldvogel.mongo.bson.Document("$ne", "x")))).isFalse();
        assertThat(timestamp.canHandle(new de.bwaldvogel.mongo.bson.Document("timestamp",
                java.util.regex.Pattern.compile("^2026")))).isFalse();
        assertThat(timestamp.canHandle(new de.bwaldvogel.mongo.bson.Document("sequenceNumber", 1))).isFalse();
        assertThat(timestamp.canHandle(new de.bwaldvogel.mongo.bson.Document("$or", List.of(
                new de.bwaldvogel.mongo.bson.Document("timestamp", "x"))))).isFalse();
    }

    private static void fill(MongoCollection<Document> events) {
        indexes(events);
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            events.insertOne(new Document("_id", "id-" + i)
                    .append("eventIdentifier", "e-" + i)
                    .append("aggregateIdentifier", "agg-" + random.nextInt(10))
                    .append("sequenceNumber", i % 5)
                    .append("timestamp", Instant.parse("2026-11-29T10:00:00Z").plusMillis(i * 500L).toString())
                    .append("participants", List.of("user-" + random.nextInt(6), "user-" + random.nextInt(6)))
                    .append("status", i % 3 == 0 ? "ringing" : "ended")
                    .append("due_at", Date.from(Instant.parse("2026-11-29T10:00:00Z").plusSeconds(i))));
        }
    }

    private static void indexes(MongoCollection<Document> events) {
        events.createIndex(Indexes.ascending("aggregateIdentifier", "sequenceNumber"));
        events.createIndex(Indexes.ascending("timestamp", "sequenceNumber"));
        events.createIndex(Indexes.ascending("participants", "status"));
        events.createIndex(Indexes.ascending("due_at"));
    }

    private static List<Bson> concat(List<Bson> queries, Bson query) {
        List<Bson> all = new ArrayList<>(queries);
        all.add(query);
        return all;
    }

    /** The ids a sorted query answers, read through the cursor with the batch size, limit and skip given. */
    private static List<String> ids(MongoCollection<Document> events, Bson query, Bson sort, int[] batchLimitSkip) {
        List<String> ids = new ArrayList<>();
        events.find(query).sort(sort).batchSize(batchLimitSkip[0]).limit(batchLimitSkip[1]).skip(batchLimitSkip[2])
                .forEach((Consumer<Document>) d -> ids.add(d.getString("_id")));
        return ids;
    }

    private static List<String> ids(MongoCollection<Document> events, Bson query) {
        List<String> ids = new ArrayList<>();
        events.find(query).sort(Sorts.ascending("_id")).forEach((Consumer<Document>) d -> ids.add(d.getString("_id")));
        return ids;
    }

    private static final class Store implements AutoCloseable {
        private final MongoServer server;
        private final MongoClient client;

        Store(MongoBackend backend) {
            server = new MongoServer(backend);
            InetSocketAddress address = server.bind();
            client = MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
        }

        MongoCollection<Document> events() {
            return client.getDatabase("test").getCollection("events");
        }

        @Override
        public void close() {
            client.close();
            server.shutdown();
        }
    }
}

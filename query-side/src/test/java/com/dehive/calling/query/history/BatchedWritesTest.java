package com.dehive.calling.query.history;

import com.dehive.calling.query.writebehind.WriteBehind;
import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch's writes, as the store receives them: one bulk write, one statement per document. */
class BatchedWritesTest {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    /** The statements of each update command the store was sent. */
    private final List<Integer> statementsPerCommand = new CopyOnWriteArrayList<>();
    private final MongoClient client = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
            .addCommandListener(new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    if (event.getCommandName().equals("update")) {
                        statementsPerCommand.add(event.getCommand().getArray("updates").size());
                    }
                }
            })
            .build());
    private final MongoCollection<Document> calls = client.getDatabase("test").getCollection("calls");

    @AfterEach
    void close() {
        client.close();
        server.shutdown();
    }

    @Test
    void the_writes_a_batch_makes_to_one_document_reach_the_store_as_one() {
        calls.insertOne(new Document("_id", "call-0").append("status", "connected")); // a call of an earlier batch
        inOneBatch(
                () -> BatchedWrites.replace(calls, new Document("_id", "call-1").append("status", "ringing")
                        .append("caller_audio_muted", false)),
                () -> BatchedWrites.set(calls, "call-1", new Document("status", "connected").append("started_at", 5)),
                () -> BatchedWrites.set(calls, "call-0", new Document("status", "ended")),
                () -> BatchedWrites.set(calls, "call-1", new Document("caller_audio_muted", true)),
                () -> BatchedWrites.set(calls, "call-0", new Document("duration_seconds", 60)));

        assertThat(statementsPerCommand.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(calls.find(new Document("_id", "call-1")).first()).isEqualTo(new Document("_id", "call-1")
                .append("status", "connected").append("caller_audio_muted", true).append("started_at", 5));
        assertThat(calls.find(new Document("_id", "call-0")).first()).isEqualTo(new Document("_id", "call-0")
                .append("status", "ended").append("duration_seconds", 60));
    }

    @Test
    void a_batch_sends_one_command_per_kind_of_write() {
        inOneBatch(
                () -> BatchedWrites.replace(calls, new Document("_id", "call-3").append("status", "ringing")),
                () -> BatchedWrites.set(calls, "call-1", new Document("status", "connected")),
                () -> BatchedWrites.set(calls, "call-0", new Document("status", "ended")),
                () -> BatchedWrites.replace(calls, new Document("_id", "call-4").append("status", "ringing")),
                () -> BatchedWrites.set(calls, "call-2", new Document("status", "connected")),
                () -> BatchedWrites.replace(calls, new Document("_id", "call-5").append("status", "ringing")));

        assertThat(statementsPerCommand).containsExactlyInAnyOrder(3, 3);
        assertThat(calls.countDocuments()).isEqualTo(3);
    }

    @Test
    void a_replacement_wipes_out_what_the_batch_wrote_before_it() {
        inOneBatch(
                () -> BatchedWrites.replace(calls, new Document("_id", "call-1").append("status", "ringing")),
                () -> BatchedWrites.set(calls, "call-1", new Document("status", "connected")),
                () -> BatchedWrites.replace(calls, new Document("_id", "call-1").append("status", "ringing again")));

        assertThat(statementsPerCommand).containsExactly(1);
        assertThat(calls.find().into(new ArrayList<>()))
                .containsExactly(new Document("_id", "call-1").append("status", "ringing again"));
    }

    @Test
    void fields_of_a_document_missing_from_the_store_are_not_written() {
        inOneBatch(() -> BatchedWrites.set(calls, "never-started", new Document("status", "ended")));

        assertThat(calls.countDocuments()).isZero();
    }

    @Test
    void outside_a_batch_each_write_is_sent_at_once() {
        BatchedWrites.replace(calls, new Document("_id", "call-1").append("status", "ringing"));
        BatchedWrites.set(calls, "call-1", new Document("status", "connected"));

        assertThat(statementsPerCommand).containsExactly(1, 1);
        assertThat(calls.find().first()).containsEntry("status", "connected");
    }

    @Test
    void only_top_level_fields_are_set() {
        assertThatThrownBy(() -> BatchedWrites.set(calls, "call-1", new Document("callee_info.username", "bob")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchedWrites.set(calls, "call-1", new Document("$inc", new Document("n", 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Handles one event per write in one batch, with the projection's interceptor, as a tracking processor would. */
    private void inOneBatch(Runnable... writes) {
        List<EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < writes.length; i++) {
            events.add(GenericEventMessage.asEventMessage(i));
        }
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);
        BatchedWrites interceptor = new BatchedWrites(CallHistoryProjection.PROCESSING_GROUP, new WriteBehind());
        var result = batch.executeWithResult(() -> new DefaultInterceptorChain<>(batch, List.of(interceptor),
                message -> {
                    writes[(Integer) message.getPayload()].run();
                    return null;
                }).proceed());
        assertThat(result.isExceptional()).as("the batch failed: %s", result).isFalse();
    }
}

package com.dehive.calling.command.call;

import com.dehive.calling.command.deadline.MongoDeadlineManager;
import com.dehive.calling.command.line.CallLines;
import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.AcceptCallCommand;
import com.dehive.calling.shared.call.EndCallCommand;
import com.dehive.calling.shared.call.ReportParticipantGoneCommand;
import com.dehive.calling.shared.call.StartCallCommand;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A hang-up as Axon runs it, with the deadlines kept in the store: a hang-up whose event the event store refuses
 * cancels nothing, because its cancels run after the append in the same commit.
 */
class HangUpDeadlinesTest {

    private static final CallId CALL = CallId.of("call-1");
    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final MongoClient client = MongoClients.create(server.bindAndGetConnectionString());
    private final MongoDatabase database = client.getDatabase("calling");
    private final AtomicBoolean refuseAppends = new AtomicBoolean();
    private Configuration axon;
    private CommandGateway commands;

    @BeforeEach
    void start() {
        InMemoryEventStorageEngine events = new InMemoryEventStorageEngine() {
            @Override
            public void appendEvents(List<? extends EventMessage<?>> appended) {
                if (refuseAppends.get()) {
                    throw new IllegalStateException("the event store refused the append");
                }
                super.appendEvents(appended);
            }
        };
        CallLines lines = new CallLines(database, (call, claimedAt, othersMayBeStartingIt) -> true, Clock.systemUTC(),
                "node-1", false);
        CallTimeouts timeouts = new CallTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(15));
        axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(config -> events)
                .configureAggregate(Call.class)
                .registerComponent(CallLines.class, config -> lines)
                .registerComponent(CallTimeouts.class, config -> timeouts)
                // never polls here: the test looks only at which deadlines are stored
                .configureDeadlineManager(config -> new MongoDeadlineManager(database,
                        new ConfigurationScopeAwareProvider(config), JacksonSerializer.defaultSerializer(),
                        NoTransactionManager.INSTANCE, "node-1", Duration.ofHours(1), Duration.ofSeconds(30),
                        Duration.ofSeconds(2), Clock.systemUTC()))
                .registerCommandHandler(config -> new StartCallHandler(config.repository(Call.class), lines, timeouts))
                .buildConfiguration();
        axon.start();
        commands = axon.commandGateway();
    }

    @AfterEach
    void stop() {
        axon.shutdown();
        client.close();
        server.shutdownNow();
    }

    @Test
    void a_cancelled_ring_whose_event_is_refused_keeps_its_ring_timeout() {
        commands.sendAndWait(new StartCallCommand(CALL, UserProfile.idOnly(ALICE), BOB, true, true));
        assertThat(storedDeadlines()).containsExactly(Call.RING_TIMEOUT);

        hangUpRefusedThenStored(Call.RING_TIMEOUT);
    }

    @Test
    void a_hang_up_whose_event_is_refused_keeps_the_grace_of_a_participant_who_went_away() {
        commands.sendAndWait(new StartCallCommand(CALL, UserProfile.idOnly(ALICE), BOB, true, true));
        commands.sendAndWait(new AcceptCallCommand(CALL, UserProfile.idOnly(BOB), true, true));
        commands.sendAndWait(new ReportParticipantGoneCommand(CALL, BOB));
        assertThat(storedDeadlines()).containsExactly(Call.RECONNECT_GRACE);

        hangUpRefusedThenStored(Call.RECONNECT_GRACE);
    }

    /** Alice hangs up while the event store refuses appends (the pending deadline stays), then once it takes them. */
    private void hangUpRefusedThenStored(String pending) {
        refuseAppends.set(true);
        assertThatThrownBy(() -> commands.sendAndWait(new EndCallCommand(CALL, ALICE)))
                .hasMessageContaining("refused");
        assertThat(storedDeadlines()).containsExactly(pending);

        refuseAppends.set(false);
        commands.sendAndWait(new EndCallCommand(CALL, ALICE));
        assertThat(storedDeadlines()).isEmpty();
    }

    private List<String> storedDeadlines() {
        List<String> names = new ArrayList<>();
        database.getCollection("deadlines").find().forEach((Document deadline) -> names.add(deadline.getString("name")));
        return names;
    }
}

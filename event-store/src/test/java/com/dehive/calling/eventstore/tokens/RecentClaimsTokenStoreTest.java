package com.dehive.calling.eventstore.tokens;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Claim extensions against Axon's Mongo token store, counted as the store receives them. */
class RecentClaimsTokenStoreTest {

    private static final String PROCESSOR = "call-history";
    private static final Duration RENEWAL_INTERVAL = Duration.ofSeconds(2);

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final String address = server.bindAndGetConnectionString();
    /** Writes of token documents (a claim extension, a token, a claim) the store received. */
    private final AtomicInteger tokenWrites = new AtomicInteger();
    private final MongoClient client = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(address))
            .addCommandListener(new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    if (event.getCommandName().equals("update") || event.getCommandName().equals("findAndModify")) {
                        tokenWrites.incrementAndGet();
                    }
                }
            })
            .build());
    private final AtomicLong now = new AtomicLong();
    private final TokenStore tokens = new RecentClaimsTokenStore(mongoTokenStore("node-1", Duration.ofSeconds(10)),
            RENEWAL_INTERVAL, now::get);

    RecentClaimsTokenStoreTest() {
        tokens.initializeTokenSegments(PROCESSOR, 1);
        tokens.fetchToken(PROCESSOR, 0); // this node claims the segment
    }

    @AfterEach
    void close() {
        client.close();
        server.shutdown();
    }

    @Test
    void an_extension_moments_after_the_token_was_stored_does_not_reach_the_store() {
        tokens.storeToken(new GlobalSequenceTrackingToken(1), PROCESSOR, 0);
        int writes = tokenWrites.get();

        now.addAndGet(RENEWAL_INTERVAL.toNanos() - 1);
        tokens.extendClaim(PROCESSOR, 0);
        assertThat(tokenWrites.get()).isEqualTo(writes);

        now.addAndGet(1);
        tokens.extendClaim(PROCESSOR, 0);
        assertThat(tokenWrites.get()).isEqualTo(writes + 1);
        // that extension renewed the claim in turn
        tokens.extendClaim(PROCESSOR, 0);
        assertThat(tokenWrites.get()).isEqualTo(writes + 1);
    }

    @Test
    void after_a_release_the_next_extension_asks_the_store_and_fails() {
        tokens.storeToken(new GlobalSequenceTrackingToken(1), PROCESSOR, 0);
        tokens.releaseClaim(PROCESSOR, 0);

        assertThatThrownBy(() -> tokens.extendClaim(PROCESSOR, 0)).isInstanceOf(UnableToClaimTokenException.class);
    }

    @Test
    void a_claim_another_node_took_is_found_at_the_next_token_write_and_every_extension_after_it_asks_the_store()
            throws InterruptedException {
        tokens.storeToken(new GlobalSequenceTrackingToken(1), PROCESSOR, 0);
        // a node that sees the claim as timed out (here: a short timeout) takes it over
        TokenStore otherNode = mongoTokenStore("node-2", Duration.ofMillis(50));
        Thread.sleep(100);
        otherNode.fetchToken(PROCESSOR, 0);

        assertThatThrownBy(() -> tokens.storeToken(new GlobalSequenceTrackingToken(2), PROCESSOR, 0))
                .isInstanceOf(UnableToClaimTokenException.class);
        int writes = tokenWrites.get();
        assertThatThrownBy(() -> tokens.extendClaim(PROCESSOR, 0)).isInstanceOf(UnableToClaimTokenException.class);
        assertThatThrownBy(() -> tokens.extendClaim(PROCESSOR, 0)).isInstanceOf(UnableToClaimTokenException.class);
        assertThat(tokenWrites.get()).isEqualTo(writes + 2);
        assertThat(otherNode.fetchToken(PROCESSOR, 0)).isEqualTo(new GlobalSequenceTrackingToken(1));
    }

    private TokenStore mongoTokenStore(String nodeId, Duration claimTimeout) {
        return MongoTokenStore.builder()
                .mongoTemplate(DefaultMongoTemplate.builder().mongoDatabase(client, "test").build())
                .serializer(JacksonSerializer.defaultSerializer())
                .transactionManager(NoTransactionManager.instance())
                .claimTimeout(claimTimeout)
                .nodeId(nodeId)
                .build();
    }
}

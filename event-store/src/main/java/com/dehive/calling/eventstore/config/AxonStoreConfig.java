package com.dehive.calling.eventstore.config;

import com.dehive.calling.eventstore.engine.EventDocuments;
import com.dehive.calling.eventstore.engine.LegacyPositions;
import com.dehive.calling.eventstore.engine.SequencedEventStorageEngine;
import com.dehive.calling.eventstore.tokens.RecentClaimsTokenStore;
import com.dehive.calling.shared.call.upcast.CallStartedEventUpcaster;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * Axon's event store and token store in MongoDB, configured by hand (the axon-mongo starter stops at 4.10 and
 * forces Mongo transactions, which the embedded store lacks).
 */
@Configuration(proxyBeanMethods = false)
class AxonStoreConfig {

    @Bean
    MongoTemplate axonMongoTemplate(MongoClient client, StoreProperties properties) {
        return DefaultMongoTemplate.builder().mongoDatabase(client, properties.database()).build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(MongoDatabase database,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Serializer serializer, ObjectProvider<InProcessStore> inProcess,
                                          @Value("${calling.node-id}") String nodeId) {
        SequencedEventStorageEngine engine = SequencedEventStorageEngine.builder()
                .events(database.getCollection(EventDocuments.COLLECTION))
                .eventSerializer(eventSerializer)
                .snapshotSerializer(serializer)
                .upcasterChain(new EventUpcasterChain(new CallStartedEventUpcaster()))
                // events read per query: a rebuild reads the whole stream, so fewer and larger batches
                .batchSize(1000)
                .build();
        engine.ensureIndexes();
        if (inProcess.getIfAvailable() != null) {
            // Loading a call asks for its events by id. MongoDB answers that from the unique (aggregate, sequence)
            // index; the embedded store answers only exact matches from a unique index, so it gets this.
            database.getCollection(EventDocuments.COLLECTION).createIndex(
                    Indexes.ascending(EventDocuments.AGGREGATE));
        }
        new LegacyPositions(database, serializer, nodeId, Clock.systemUTC()).assign();
        return engine;
    }

    /**
     * Axon's embedded event store (as its auto-configuration builds it), with the reader of the stored stream woken
     * once per {@code notifyDelay} after appends ({@link CoalescingEventStore}).
     */
    @Bean
    CoalescingEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon,
                                  @Value("${calling.processing.notify-delay}") Duration notifyDelay) {
        EmbeddedEventStore.Builder builder = EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class));
        return new CoalescingEventStore(builder, notifyDelay);
    }

    /**
     * Several nodes share the tokens of the projections; a node that stops renewing its claims loses them after the
     * claim timeout, and another node's processor takes the segments over. A claim is renewed by the store at most
     * every quarter of the timeout ({@link RecentClaimsTokenStore}).
     */
    @Bean
    TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer,
                          @Value("${calling.processing.claim-timeout}") Duration claimTimeout,
                          @Value("${calling.node-id}") String nodeId) {
        MongoTokenStore tokens = MongoTokenStore.builder()
                .mongoTemplate(axonMongoTemplate)
                .serializer(serializer)
                .transactionManager(NoTransactionManager.instance())
                .claimTimeout(claimTimeout)
                // claims name the node as everything else does (events' metadata, deadlines, presence)
                .nodeId(nodeId)
                .build();
        return new RecentClaimsTokenStore(tokens, claimTimeout.dividedBy(4));
    }
}

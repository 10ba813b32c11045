package com.dehive.calling.service.store;

import com.dehive.calling.query.replay.MongoResetToken;
import com.dehive.calling.query.tokens.RecentClaimsTokenStore;
import com.dehive.calling.query.writebehind.WriteBehind;
import com.dehive.calling.query.writebehind.WriteBehindTokenStore;
import com.dehive.calling.shared.call.upcast.CallStartedEventUpcaster;
import com.mongodb.client.MongoClient;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.mongo.DefaultMongoTemplate;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.EventEntryConfiguration;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.MongoEventStorageEngine;
import org.axonframework.extensions.mongo.eventsourcing.eventstore.documentperevent.DocumentPerEventStorageStrategy;
import org.axonframework.extensions.mongo.eventsourcing.tokenstore.MongoTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import com.mongodb.client.model.Indexes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
    EventStorageEngine eventStorageEngine(MongoTemplate axonMongoTemplate,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          Serializer serializer, ObjectProvider<EmbeddedStore> embedded) {
        MongoEventStorageEngine engine = MongoEventStorageEngine.builder()
                .mongoTemplate(axonMongoTemplate)
                // the look-back MongoResetToken assumes (Axon's default, 1 s), said once
                .storageStrategy(new DocumentPerEventStorageStrategy(EventEntryConfiguration.getDefault(),
                        MongoResetToken.LOOK_BACK))
                .eventSerializer(eventSerializer)
                .snapshotSerializer(serializer)
                .upcasterChain(new EventUpcasterChain(new CallStartedEventUpcaster()))
                // events read per query: a rebuild reads the whole stream, and on the embedded store each query
                // costs the rest of the stream (found through the index, then sorted), so fewer and larger batches
                .batchSize(1000)
                .build();
        // The unique (aggregate, sequence) index is what stops two nodes from appending the same event number.
        engine.ensureIndexes();
        if (embedded.getIfAvailable() != null) {
            // Loading an aggregate asks for its events by id. MongoDB answers that from the unique (aggregate,
            // sequence) index; the embedded store answers only exact matches from a unique index, so it gets this.
            axonMongoTemplate.eventCollection().createIndex(Indexes.ascending("aggregateIdentifier"));
        }
        return engine;
    }

    /**
     * Axon's embedded event store (as its auto-configuration builds it), with the reader of the stored stream woken
     * once per {@code notifyDelay} after appends ({@link CoalescingEventStore}).
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon,
                                  @Value("${calling.processing.notify-delay}") Duration notifyDelay) {
        EmbeddedEventStore.Builder builder = EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class));
        return new CoalescingEventStore(builder, notifyDelay);
    }

    /**
     * Several nodes share the tokens; a node that stops renewing its claims loses them after the claim timeout.
     *
     * <p>No commit of the embedded file per token write (each processor writes its token after every batch, and a
     * commit saves the whole store): a processor writes its token after the read-model writes of the batch, so the
     * next commit (any unit of work's, or the background one within a second) saves both, in that order, and a
     * crash costs the processor the batches since, which it handles again.
     *
     * <p>A processor whose batch writes go on a {@link WriteBehind} lane has its tokens queued behind them.
     *
     * <p>A claim extension within a quarter of the claim timeout of this node's last write of that claim is skipped
     * ({@link RecentClaimsTokenStore}): under load, the one at the start of every batch, moments after the last
     * batch stored its token.
     */
    @Bean
    TokenStore tokenStore(MongoTemplate axonMongoTemplate, Serializer serializer, WriteBehind writeBehind,
                          @Value("${calling.processing.claim-timeout}") Duration claimTimeout,
                          @Value("${calling.node-id}") String nodeId) {
        TokenStore mongo = MongoTokenStore.builder()
                .mongoTemplate(axonMongoTemplate)
                .serializer(serializer)
                .transactionManager(NoTransactionManager.instance())
                .claimTimeout(claimTimeout)
                // claims name the node as everything else does (events' metadata, deadlines, presence)
                .nodeId(nodeId)
                .build();
        // inside the lanes: a token counts as renewed once the lane has written it
        return new WriteBehindTokenStore(new RecentClaimsTokenStore(mongo, claimTimeout.dividedBy(4)), writeBehind);
    }
}

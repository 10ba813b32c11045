package com.dehive.calling.service.processing;

import com.dehive.calling.eventstore.positions.ProjectionPositions;
import com.dehive.calling.shared.query.Processors;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.EventTrackerStatusChangeListener;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.extensions.mongo.MongoTemplate;
import org.axonframework.extensions.mongo.eventhandling.deadletter.MongoSequencedDeadLetterQueue;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The event processors, all Axon tracking processors:
 * <ul>
 *     <li>the three projections share their tokens in MongoDB and their segments among the nodes; an event whose
 *     handler keeps failing goes to a dead-letter queue in MongoDB, with its call's later events behind it;</li>
 *     <li>the socket notifier runs on every node for the sockets of that node, from the head of the stream, its
 *     token in memory: a node's death delays nobody else's ringing, and no node ever rings for old calls.</li>
 * </ul>
 * Tracking, not pooled streaming, processors: a pooled processor reading Axon's embedded event store looks for new
 * events every 500 ms when it has caught up (that store's streams cannot call it back), which measured as up to half
 * a second between a call's start and its ring or its row in the history; a tracking processor waits on the stream
 * and wakes on the append.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ProcessingConfig {

    static final List<String> PROJECTIONS = List.of(Processors.CALL_HISTORY, Processors.CALL_ANALYTICS,
            Processors.CONVERSATION_MESSAGES);
    static final List<String> ALL = List.of(Processors.CALL_HISTORY, Processors.CALL_ANALYTICS,
            Processors.CONVERSATION_MESSAGES, Processors.SOCKET_NOTIFIER);

    @Bean
    EventHandlerRetries eventHandlerRetries() {
        return new EventHandlerRetries(List.of(Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(1)));
    }

    /**
     * Each projection: {@code segments} segments (fixed when its tokens are first made), as many threads on a node,
     * batches of up to {@code batchSize} events under one unit of work and one token write. Each tells the waiters
     * for it (ProjectionPositions) as soon as a batch has committed.
     */
    @Bean
    ConfigurerModule projections(@Value("${calling.processing.segments}") int segments,
                                 @Value("${calling.processing.batch-size:500}") int batchSize,
                                 ProjectionPositions positions) {
        return configurer -> {
            var processing = configurer.eventProcessing();
            for (String projection : PROJECTIONS) {
                // every projection may be waited for: the call history by the edges, all of them by the check
                EventTrackerStatusChangeListener listener = new BatchCommitted(positions);
                processing.registerTrackingEventProcessor(projection,
                        org.axonframework.config.Configuration::eventStore,
                        config -> TrackingEventProcessorConfiguration.forParallelProcessing(segments)
                                .andInitialSegmentsCount(segments)
                                .andBatchSize(batchSize)
                                // how often a node looks for segments nobody holds (a dead node's)
                                .andTokenClaimInterval(2, TimeUnit.SECONDS)
                                .andEventTrackerStatusChangeListener(listener));
            }
        };
    }

    @Bean
    ConfigurerModule notifierOnEveryNode(@Value("${calling.processing.notifier-batch-size:100}") int batchSize) {
        return configurer -> configurer.eventProcessing()
                .registerTokenStore(Processors.SOCKET_NOTIFIER, config -> new InMemoryTokenStore())
                .registerTrackingEventProcessor(Processors.SOCKET_NOTIFIER,
                        org.axonframework.config.Configuration::eventStore,
                        config -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(batchSize)
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken));
    }

    @Bean
    ConfigurerModule deadLetterQueues(MongoTemplate axonMongoTemplate) {
        return configurer -> {
            var processing = configurer.eventProcessing();
            for (String projection : PROJECTIONS) {
                processing.registerDeadLetterQueue(projection, config ->
                        MongoSequencedDeadLetterQueue.<EventMessage<?>>builder()
                                .processingGroup(projection)
                                .mongoTemplate(axonMongoTemplate)
                                .transactionManager(NoTransactionManager.instance())
                                .serializer(config.serializer())
                                .build());
            }
            // the notifier's failures concern this node's sockets only, and go with it
            processing.registerDeadLetterQueue(Processors.SOCKET_NOTIFIER,
                    config -> InMemorySequencedDeadLetterQueue.defaultQueue());
            ALL.forEach(processor -> processing
                    .registerDeadLetterPolicy(processor, config -> DeadLetters.countingRetries())
                    // knows which calls have letters waiting: without it every event asks the queue (a store query)
                    .registerDeadLetteringEventHandlerInvokerConfiguration(processor,
                            (config, builder) -> builder.enableSequenceIdentifierCache()));
        };
    }

    /** Tells the waiters for a projection that it has moved on, once a batch has committed. */
    record BatchCommitted(ProjectionPositions positions) implements EventTrackerStatusChangeListener {

        @Override
        public void onEventTrackerStatusChange(Map<Integer, EventTrackerStatus> updatedTrackerStatus) {
            positions.batchCommitted();
        }

        @Override
        public boolean validatePositions() {
            return true; // a new position is the change waiters care about
        }
    }

    @Bean
    DeadLetters deadLetters(@Lazy EventProcessingConfiguration processing, MeterRegistry meters,
                            @Value("${calling.processing.dead-letter-first-retry:30s}") Duration firstPause) {
        return new DeadLetters(processing, ALL, firstPause, Duration.ofHours(1), Clock.systemUTC(), meters);
    }

    @Bean
    DeadLetterRetrySchedule deadLetterRetrySchedule(DeadLetters deadLetters) {
        return new DeadLetterRetrySchedule(deadLetters);
    }

    /** Tries again the dead letters whose pause is over, on Spring's scheduler. */
    record DeadLetterRetrySchedule(DeadLetters deadLetters) {

        @Scheduled(fixedDelayString = "${calling.processing.dead-letter-check:10s}",
                initialDelayString = "${calling.processing.dead-letter-check:10s}")
        void retryDue() {
            deadLetters.retryDue();
        }
    }
}

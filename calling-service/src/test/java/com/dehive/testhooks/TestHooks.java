package com.dehive.testhooks;

import com.dehive.calling.eventstore.config.InProcessStore;
import com.dehive.calling.eventstore.engine.AppendedPositions;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.query.Processors;
import com.mongodb.client.MongoDatabase;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Hooks for tests, on the classpath of tests only (and of service processes a test starts with its classes), and
 * inert unless a test sets them:
 * <ul>
 *     <li>{@code calling.test.crash-at} ({@code CALLING_TEST_CRASH_AT}): halts the JVM, as {@code kill -9} would,
 *     the {@code calling.test.crash-after}-th time (1 by default) the named point is reached (the insert points
 *     count only the appends of a {@code calling.test.crash-on-event} event, such as {@code CallStartedEvent}, when
 *     it is set):
 *     <ul>
 *         <li>{@code before-event-insert}: a command's line claims and deadlines are written (and durable), its
 *         events not;</li>
 *         <li>{@code after-event-insert}: its events are written (and durable), the rest of its unit of work not
 *         (lines not released, deadlines not cancelled);</li>
 *         <li>{@code mid-projection-batch}: a projection has handled the first event of a batch of several;</li>
 *         <li>{@code mid-rebuild}: a projection has replayed that many events of a rebuild;</li>
 *     </ul></li>
 *     <li>{@code calling.test.clock-offset}: this node stamps its events with a clock that far off (a node whose
 *     clock is behind or ahead of the others');</li>
 *     <li>{@code calling.test.append-delay} with {@code calling.test.append-delay-callee}: the start of a call to a
 *     callee whose id begins so is stored that long after it was stamped (a slow commit), while other commands go
 *     on;</li>
 *     <li>{@code calling.test.failing-writes}: a collection whose inserts fail for chosen calls ({@link
 *     FailingWrites}), as a store that refuses a write would.</li>
 * </ul>
 */
@AutoConfiguration
public class TestHooks {

    private static final Logger log = LoggerFactory.getLogger(TestHooks.class);

    @Bean
    @ConditionalOnProperty("calling.test.clock-offset")
    static BeanFactoryPostProcessor offsetClock(Environment environment) {
        Duration offset = DurationStyle.detectAndParse(environment.getRequiredProperty("calling.test.clock-offset"));
        return beanFactory -> {
            GenericEventMessage.clock = Clock.offset(Clock.systemUTC(), offset);
            log.warn("event=test_hook clock_offset={}", offset);
        };
    }

    @Bean
    static BeanPostProcessor hookedEventStorage(Environment environment, ObjectProvider<InProcessStore> store) {
        String crashAt = environment.getProperty("calling.test.crash-at", "");
        int crashAfter = environment.getProperty("calling.test.crash-after", Integer.class, 1);
        Duration delay = environment.getProperty("calling.test.append-delay", Duration.class, Duration.ZERO);
        String slowCallee = environment.getProperty("calling.test.append-delay-callee", "");
        String crashOnEvent = environment.getProperty("calling.test.crash-on-event", "");
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof EventStorageEngine engine && (!crashAt.isEmpty() || !delay.isZero())) {
                    return new HookedStorage(engine, new CrashPoint(crashAt, crashAfter, store), crashOnEvent, delay,
                            slowCallee);
                }
                return bean;
            }
        };
    }

    @Bean
    @ConditionalOnProperty("calling.test.crash-at")
    ConfigurerModule crashInProjections(Environment environment, ObjectProvider<InProcessStore> store) {
        CrashPoint crash = new CrashPoint(environment.getRequiredProperty("calling.test.crash-at"),
                environment.getProperty("calling.test.crash-after", Integer.class, 1), store);
        MessageHandlerInterceptor<EventMessage<?>> interceptor = (unitOfWork, chain) -> {
            Object result = chain.proceed();
            EventMessage<?> event = unitOfWork.getMessage();
            if (ReplayToken.isReplay(event)) {
                crash.reach("mid-rebuild");
            } else if (unitOfWork instanceof BatchingUnitOfWork<?> batch && batch.isFirstMessage()
                    && !batch.isLastMessage()) {
                crash.reach("mid-projection-batch");
            }
            return result;
        };
        return configurer -> List.of(Processors.CALL_HISTORY, Processors.CALL_ANALYTICS,
                Processors.CONVERSATION_MESSAGES).forEach(projection -> configurer.eventProcessing()
                .registerHandlerInterceptor(projection, config -> interceptor));
    }

    @Bean
    @ConditionalOnProperty("calling.test.failing-writes")
    FailingWrites failingWrites() {
        return new FailingWrites();
    }

    @Bean
    @ConditionalOnProperty("calling.test.failing-writes")
    static BeanPostProcessor failingWritesDatabase(Environment environment, ObjectProvider<FailingWrites> failing) {
        String collection = environment.getRequiredProperty("calling.test.failing-writes");
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof MongoDatabase database
                        ? failing.getObject().database(database, collection) : bean;
            }
        };
    }

    /**
     * A named place where the JVM halts, the n-th time it is reached. What was written so far is first made durable,
     * as another unit of work's commit could have done a moment before the crash: the crash leaves exactly what
     * the point names, half a unit of work where it names one.
     */
    record CrashPoint(String name, int after, ObjectProvider<InProcessStore> store, AtomicInteger reached) {

        CrashPoint(String name, int after, ObjectProvider<InProcessStore> store) {
            this(name, after, store, new AtomicInteger());
        }

        void reach(String point) {
            if (point.equals(name) && reached.incrementAndGet() == after) {
                log.warn("event=test_hook crash_at={} reached={}", point, after);
                InProcessStore inProcess = store.getIfAvailable();
                if (inProcess != null) {
                    inProcess.commit();
                }
                Runtime.getRuntime().halt(137);
            }
        }
    }

    /** The event storage with the hooks around its appends. */
    record HookedStorage(EventStorageEngine engine, CrashPoint crash, String crashOnEvent, Duration delay,
                         String slowCallee) implements EventStorageEngine, AppendedPositions {

        @Override
        public long lastAppendedHere() {
            return ((AppendedPositions) engine).lastAppendedHere();
        }


        @Override
        public void appendEvents(List<? extends EventMessage<?>> events) {
            if (!delay.isZero() && events.stream().anyMatch(event -> event.getPayload() instanceof CallStartedEvent
                    started && started.callee().toString().startsWith(slowCallee))) {
                log.warn("event=test_hook append_delayed_ms={}", delay.toMillis());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean counts = crashOnEvent.isEmpty() || events.stream()
                    .anyMatch(event -> event.getPayloadType().getSimpleName().equals(crashOnEvent));
            if (counts) {
                crash.reach("before-event-insert");
            }
            engine.appendEvents(events);
            if (counts) {
                crash.reach("after-event-insert");
            }
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            engine.storeSnapshot(snapshot);
        }

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            return engine.readEvents(trackingToken, mayBlock);
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            return engine.readEvents(aggregateIdentifier, firstSequenceNumber);
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return engine.readSnapshot(aggregateIdentifier);
        }

        @Override
        public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
            return engine.lastSequenceNumberFor(aggregateIdentifier);
        }

        @Override
        public TrackingToken createTailToken() {
            return engine.createTailToken();
        }

        @Override
        public TrackingToken createHeadToken() {
            return engine.createHeadToken();
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return engine.createTokenAt(dateTime);
        }
    }
}

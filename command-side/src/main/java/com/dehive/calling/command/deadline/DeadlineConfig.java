package com.dehive.calling.command.deadline;

import com.mongodb.client.MongoDatabase;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

import java.time.Clock;
import java.time.Duration;

@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class DeadlineConfig {

    @Bean
    MongoDeadlineManager deadlineManager(MongoDatabase database, @Lazy Configuration axonConfiguration,
                                         Serializer serializer, TransactionManager transactionManager,
                                         @Value("${calling.node-id}") String nodeId,
                                         @Value("${calling.deadlines.poll-interval:1s}") Duration pollInterval) {
        return new MongoDeadlineManager(database, new ConfigurationScopeAwareProvider(axonConfiguration), serializer,
                transactionManager, nodeId, pollInterval, Duration.ofSeconds(30), Duration.ofSeconds(2),
                Clock.systemUTC());
    }

    /** Fires deadlines only once the whole application (Axon's handlers included) is up, stops before it goes down. */
    @Bean
    SmartLifecycle deadlineManagerLifecycle(MongoDeadlineManager deadlineManager) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                deadlineManager.start();
                running = true;
            }

            @Override
            public void stop() {
                deadlineManager.shutdown();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MAX_VALUE - 100;
            }
        };
    }
}

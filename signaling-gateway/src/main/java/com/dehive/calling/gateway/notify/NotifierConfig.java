package com.dehive.calling.gateway.notify;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.TimeUnit;

/**
 * The notifier starts at the head of the event stream the first time it runs: a new node must not ring anyone for
 * calls that are long over. Its segments are shared among the nodes like every other processor's.
 */
@Configuration(proxyBeanMethods = false)
class NotifierConfig {

    @Bean
    ConfigurerModule notifierStartsAtHead(@Value("${calling.processing.segments}") int segments) {
        return configurer -> configurer.eventProcessing().registerTrackingEventProcessorConfiguration(
                CallNotifier.PROCESSING_GROUP, config -> TrackingEventProcessorConfiguration
                        .forParallelProcessing(segments)
                        .andInitialSegmentsCount(segments)
                        .andTokenClaimInterval(2, TimeUnit.SECONDS)
                        // events in one batch are told as they are handled; the token is written once per batch
                        .andBatchSize(100)
                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken));
    }
}

package com.dehive.calling.gateway.notify;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notifier starts at the head of the event stream the first time it runs: a new node must not ring anyone for
 * calls that are long over.
 */
@Configuration(proxyBeanMethods = false)
class NotifierConfig {

    @Bean
    ConfigurerModule notifierStartsAtHead() {
        return configurer -> configurer.eventProcessing().registerTrackingEventProcessorConfiguration(
                CallNotifier.PROCESSING_GROUP, config -> TrackingEventProcessorConfiguration
                        .forSingleThreadedProcessing()
                        .andInitialTrackingToken(StreamableMessageSource::createHeadToken));
    }
}

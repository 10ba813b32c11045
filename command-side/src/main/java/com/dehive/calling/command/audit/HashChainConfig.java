package com.dehive.calling.command.audit;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class HashChainConfig {

    @Bean
    HashChainInterceptor hashChainInterceptor(EventStore eventStore,
                                              @Qualifier("eventSerializer") Serializer eventSerializer) {
        HashChainInterceptor interceptor = new HashChainInterceptor(eventStore, eventSerializer);
        eventStore.registerDispatchInterceptor(interceptor);
        return interceptor;
    }
}

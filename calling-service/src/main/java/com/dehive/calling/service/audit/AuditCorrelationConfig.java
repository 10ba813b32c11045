package com.dehive.calling.service.audit;

import com.dehive.calling.shared.audit.AuditMetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * What every event's metadata says about its origin: the command's correlation id (Axon's own provider), the actor
 * keys the edge put on the command, and the node that recorded it.
 */
@Configuration(proxyBeanMethods = false)
class AuditCorrelationConfig {

    /** Declared here because a custom provider bean replaces Axon's default one. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    @Bean
    CorrelationDataProvider auditActorProvider() {
        return new SimpleCorrelationDataProvider(AuditMetaData.ACTOR_ID, AuditMetaData.AUTH_METHOD,
                AuditMetaData.CHANNEL, AuditMetaData.CLIENT_ADDRESS, AuditMetaData.SOCKET_ID);
    }

    @Bean
    CorrelationDataProvider nodeIdProvider(@Value("${calling.node-id}") String nodeId) {
        Map<String, String> node = Map.of(AuditMetaData.NODE_ID, nodeId);
        return message -> node;
    }
}

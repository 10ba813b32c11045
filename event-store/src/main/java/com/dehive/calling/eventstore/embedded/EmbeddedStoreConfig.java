package com.dehive.calling.eventstore.embedded;

import com.dehive.calling.eventstore.config.StoreProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The in-process store, when no {@code MONGODB_URI} is set. Only this class names the embedded store's classes, so
 * a node on a MongoDB server never loads them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${calling.mongo.uri:}'.isBlank()")
class EmbeddedStoreConfig {

    @Bean(destroyMethod = "close")
    EmbeddedStore embeddedStore(StoreProperties properties) {
        return properties.embeddedBackend() == StoreProperties.EmbeddedBackend.H2
                ? EmbeddedStore.inFile(properties.dataDir())
                : EmbeddedStore.inMemory();
    }
}

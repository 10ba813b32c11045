package com.dehive.calling.service.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryMessage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MongoDB every module shares: the server at {@code MONGODB_URI}, or the embedded store. No Mongo transactions
 * anywhere (the embedded store has none): each write stands on its own, and handlers are idempotent.
 */
@Configuration(proxyBeanMethods = false)
class MongoStoreConfig {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${calling.mongo.uri:}'.isBlank()")
    EmbeddedStore embeddedStore(StoreProperties properties) {
        return properties.embeddedBackend() == StoreProperties.EmbeddedBackend.H2
                ? EmbeddedStore.inFile(properties.dataDir())
                : EmbeddedStore.inMemory();
    }

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(StoreProperties properties, ObjectProvider<EmbeddedStore> embeddedStore) {
        EmbeddedStore embedded = embeddedStore.getIfAvailable();
        return MongoClients.create(embedded != null ? embedded.connectionString() : properties.uri());
    }

    @Bean
    MongoDatabase mongoDatabase(MongoClient client, StoreProperties properties) {
        return client.getDatabase(properties.database());
    }

    /**
     * Ends every Axon unit of work of commands and deadlines with a commit of the embedded file, so that what was
     * acknowledged survives a {@code kill -9}. A real MongoDB acknowledges durably by itself.
     */
    @Bean
    TransactionManager axonTransactionManager(ObjectProvider<EmbeddedStore> embeddedStore) {
        EmbeddedStore embedded = embeddedStore.getIfAvailable();
        if (embedded == null) {
            return NoTransactionManager.INSTANCE;
        }
        return () -> new Transaction() {
            @Override
            public void commit() {
                // a query changes nothing; its commit would only queue behind the writers' commits
                if (!(CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getMessage() instanceof QueryMessage)) {
                    embedded.commit();
                }
            }

            @Override
            public void rollback() {
                // writes of a failed unit of work are undone by their own compensations, not by the store
            }
        };
    }

    /**
     * Event processors run without that commit. Given a transaction manager, Axon stores a processor's token before
     * the processor handles the batch, trusting the transaction to undo both; the embedded store has no such
     * transaction, so a commit taken in between (any unit of work's) left a {@code kill -9} with the token ahead of
     * the read models: the call was never projected. Without one, Axon stores the token after the handlers' writes;
     * the next commit saves both, in that order, and a crash costs a processor at most the work since then, which it
     * does again. With a real MongoDB this changes nothing: there the transaction manager is none already.
     */
    @Bean
    ConfigurerModule eventProcessorsWithoutCommit() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultTransactionManager(config -> NoTransactionManager.instance());
    }
}

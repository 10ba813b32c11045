package com.dehive.calling.eventstore.config;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The MongoDB every module shares: the server at {@code MONGODB_URI}, or the in-process store. No Mongo transactions
 * anywhere (the embedded store has none): each write stands on its own, and handlers are idempotent.
 */
@Configuration(proxyBeanMethods = false)
class MongoStoreConfig {

    @Bean(destroyMethod = "close")
    MongoClient mongoClient(StoreProperties properties, ObjectProvider<InProcessStore> inProcess) {
        InProcessStore local = inProcess.getIfAvailable();
        return MongoClients.create(local != null ? local.connectionString() : properties.uri());
    }

    @Bean
    MongoDatabase mongoDatabase(MongoClient client, StoreProperties properties) {
        return client.getDatabase(properties.database());
    }

    /**
     * Ends every Axon unit of work of commands and deadlines with a commit of the in-process store, so that what was
     * acknowledged survives a {@code kill -9} and a power loss. A MongoDB server acknowledges durably by itself.
     */
    @Bean
    TransactionManager axonTransactionManager(ObjectProvider<InProcessStore> inProcess) {
        InProcessStore local = inProcess.getIfAvailable();
        if (local == null) {
            return NoTransactionManager.INSTANCE;
        }
        return () -> new Transaction() {
            @Override
            public void commit() {
                // a query changes nothing; its commit would only queue behind the writers' commits
                if (!(CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getMessage() instanceof QueryMessage)) {
                    local.commit();
                }
            }

            @Override
            public void rollback() {
                // writes of a failed unit of work are undone by their own compensations, not by the store
            }
        };
    }

    /**
     * Event processors run without that commit: a processor stores its token after the writes of the batch it
     * handled, the next commit (a command's, or the background one within a second) saves both in that order, and
     * a crash costs the processor the batches since, which it handles again. A commit per batch would put a disk
     * flush behind every batch for nothing. With a MongoDB server this changes nothing.
     */
    @Bean
    ConfigurerModule eventProcessorsWithoutCommit() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultTransactionManager(config -> NoTransactionManager.instance());
    }
}

package com.dehive.calling.command.line;

import com.mongodb.client.MongoDatabase;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class CallLinesConfig {

    /** With no MONGODB_URI the store lives in this process, which is then its only writer. */
    @Bean
    CallLines callLines(MongoDatabase database, EventStore eventStore, @Value("${calling.node-id}") String nodeId,
                        @Value("${calling.mongo.uri:}") String mongoUri) {
        Clock clock = Clock.systemUTC();
        return new CallLines(database, new EventStoreCallLiveness(eventStore, clock), clock, nodeId,
                mongoUri.isBlank());
    }
}

package com.dehive.calling.command.line;

import com.mongodb.client.MongoDatabase;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class CallLinesConfig {

    @Bean
    CallLines callLines(MongoDatabase database, EventStore eventStore) {
        Clock clock = Clock.systemUTC();
        return new CallLines(database, new EventStoreCallLiveness(eventStore, clock), clock);
    }
}

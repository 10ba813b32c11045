package com.dehive.calling.service.cluster;

import com.dehive.calling.eventstore.config.CoalescingEventStore;
import io.lettuce.core.RedisClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With several nodes (Redis set), nodes wake each other's event stores on appends. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${calling.redis.url:}'.isBlank()")
class ClusterWakeUpsConfig {

    @Bean
    AppendWakeUps appendWakeUps(RedisClient redis, CoalescingEventStore eventStore,
                                @Value("${calling.node-id}") String nodeId) {
        return new AppendWakeUps(redis, eventStore, nodeId);
    }
}

package com.dehive.calling.service.cluster;

import com.dehive.calling.eventstore.config.CoalescingEventStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Several nodes: a node that appended events says so on a Redis channel, and every other node's event store looks
 * for them at once. Without it a node finds the others' events only at its store's next poll (a second): each
 * node's socket notifier would ring a callee up to that much later when the call was started on another node.
 * Nothing is lost if a wake-up is: the poll still finds the events.
 */
public class AppendWakeUps implements SmartLifecycle {

    static final String CHANNEL = "calling:events-appended";
    private static final Logger log = LoggerFactory.getLogger(AppendWakeUps.class);

    private final RedisClient redis;
    private final CoalescingEventStore eventStore;
    private final String nodeId;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;

    public AppendWakeUps(RedisClient redis, CoalescingEventStore eventStore, String nodeId) {
        this.redis = redis;
        this.eventStore = eventStore;
        this.nodeId = nodeId;
    }

    @Override
    public void start() {
        publisher = redis.connect();
        StatefulRedisPubSubConnection<String, String> pubSub = redis.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String fromNode) {
                if (!nodeId.equals(fromNode)) {
                    eventStore.appendedElsewhere();
                }
            }
        });
        pubSub.sync().subscribe(CHANNEL);
        subscription = pubSub;
        eventStore.onAppended(() -> publisher.async().publish(CHANNEL, nodeId).whenComplete((receivers, failure) -> {
            if (failure != null) {
                log.debug("event=append_wake_up_not_published error={}", failure.toString());
            }
        }));
    }

    @Override
    public void stop() {
        StatefulRedisPubSubConnection<String, String> pubSub = subscription;
        subscription = null;
        if (pubSub != null) {
            pubSub.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}

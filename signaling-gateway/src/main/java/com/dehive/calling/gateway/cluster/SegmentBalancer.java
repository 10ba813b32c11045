package com.dehive.calling.gateway.cluster;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares the segments of every tracking processor among the live nodes. Axon's processors claim whatever segment
 * is free (so the first node up takes them all, and a survivor takes over a dead node's once its claim expires);
 * this hands back what a node holds beyond its fair share, for long enough that another node claims it.
 */
public class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);
    private static final long RELEASE_SECONDS = 15;
    private static final long PERIOD_SECONDS = 5;

    private final EventProcessingConfiguration processing;
    private final TokenStore tokens;
    private final RedisPresence presence;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "segment-balancer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    public SegmentBalancer(EventProcessingConfiguration processing, TokenStore tokens, RedisPresence presence) {
        this.processing = processing;
        this.tokens = tokens;
        this.presence = presence;
    }

    void balance() {
        int nodes = Math.max(1, presence.liveNodes().size());
        for (TrackingEventProcessor processor : processing.eventProcessors().values().stream()
                .filter(TrackingEventProcessor.class::isInstance).map(TrackingEventProcessor.class::cast).toList()) {
            int segments = tokens.fetchSegments(processor.getName()).length;
            int fairShare = (segments + nodes - 1) / nodes;
            List<Integer> held = new ArrayList<>(processor.processingStatus().keySet());
            for (int i = fairShare; i < held.size(); i++) {
                processor.releaseSegment(held.get(i), RELEASE_SECONDS, TimeUnit.SECONDS);
                log.info("event=segment_released processor={} segment={} nodes={} fair_share={}",
                        processor.getName(), held.get(i), nodes, fairShare);
            }
        }
    }

    @Override
    public void start() {
        schedule.scheduleWithFixedDelay(() -> {
            try {
                balance();
            } catch (RuntimeException e) {
                log.warn("event=segment_balance_failed error={}", e.toString());
            }
        }, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        running = true;
    }

    @Override
    public void stop() {
        schedule.shutdownNow();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

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
            Plan plan = plan(tokens.fetchSegments(processor.getName()),
                    new ArrayList<>(processor.processingStatus().keySet()), nodes);
            for (int segment : plan.release()) {
                processor.releaseSegment(segment, RELEASE_SECONDS, TimeUnit.SECONDS);
                log.info("event=segment_released processor={} segment={} nodes={} fair_share={}",
                        processor.getName(), segment, nodes, plan.fairShare());
            }
            // a release lasts until it runs out, even after the node it was meant for has gone: a segment handed
            // back just before that node died was then nobody's for up to RELEASE_SECONDS
            plan.claimable().forEach(segment -> processor.releaseSegment(segment, 0, TimeUnit.SECONDS));
        }
    }

    /**
     * What a node holding {@code held} of {@code segments} does with {@code nodes} live: beyond its fair share it
     * releases the rest; below it, every segment it does not hold is its to claim now, should it have released it
     * before (a segment another node holds stays that node's: its claim is still good).
     */
    static Plan plan(int[] segments, List<Integer> held, int nodes) {
        int fairShare = (segments.length + nodes - 1) / nodes;
        List<Integer> release = held.size() > fairShare ? held.subList(fairShare, held.size()) : List.of();
        List<Integer> claimable = new ArrayList<>();
        if (held.size() < fairShare) {
            for (int segment : segments) {
                if (!held.contains(segment)) {
                    claimable.add(segment);
                }
            }
        }
        return new Plan(fairShare, release, claimable);
    }

    record Plan(int fairShare, List<Integer> release, List<Integer> claimable) {
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

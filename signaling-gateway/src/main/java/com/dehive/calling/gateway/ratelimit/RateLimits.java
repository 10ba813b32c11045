package com.dehive.calling.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Token buckets per subject (a caller, a client address), kept by Bucket4j: in this process, or in Redis when
 * several nodes must share them. Each consumption is atomic in either store.
 */
public class RateLimits {

    /** What is limited: a key prefix, a capacity and the window in which it refills completely. */
    public record Limit(String name, String description, long capacity, Duration window) {

        BucketConfiguration bucket() {
            return BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillIntervally(capacity, window))
                    .build();
        }
    }

    private final ProxyManager<String> buckets;

    public RateLimits(ProxyManager<String> buckets) {
        this.buckets = buckets;
    }

    /** Takes one token for the subject, or refuses with the seconds to wait. */
    public void consume(Limit limit, String subject) {
        ConsumptionProbe probe = bucket(limit, subject).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new RateLimitedException(limit.description(), secondsToWait(probe.getNanosToWaitForRefill()));
        }
    }

    /**
     * {@link #consume} without waiting on the store: for socket listeners, which must not block their I/O thread
     * on a round trip to Redis.
     */
    public CompletableFuture<Void> consumeAsync(Limit limit, String subject) {
        if (!buckets.isAsyncModeSupported()) {
            return CompletableFuture.runAsync(() -> consume(limit, subject));
        }
        return buckets.asAsync().builder().build(limit.name() + ":" + subject, limit.bucket())
                .tryConsumeAndReturnRemaining(1)
                .thenAccept(probe -> {
                    if (!probe.isConsumed()) {
                        throw new RateLimitedException(limit.description(),
                                secondsToWait(probe.getNanosToWaitForRefill()));
                    }
                });
    }

    /** Takes one token if there is one; for counting failures, where the next attempt is what gets refused. */
    public void record(Limit limit, String subject) {
        bucket(limit, subject).tryConsume(1);
    }

    /** Refuses, with the seconds to wait, when the subject has no token left; takes none. */
    public void requireAvailable(Limit limit, String subject) {
        EstimationProbe estimate = bucket(limit, subject).estimateAbilityToConsume(1);
        if (!estimate.canBeConsumed()) {
            throw new RateLimitedException(limit.description(), secondsToWait(estimate.getNanosToWaitForRefill()));
        }
    }

    private BucketProxy bucket(Limit limit, String subject) {
        Supplier<BucketConfiguration> configuration = limit::bucket;
        return buckets.builder().build(limit.name() + ":" + subject, configuration);
    }

    private static long secondsToWait(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}

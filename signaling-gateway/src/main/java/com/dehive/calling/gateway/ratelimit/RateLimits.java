package com.dehive.calling.gateway.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.micrometer.core.instrument.MeterRegistry;

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
    private final MeterRegistry meters;

    public RateLimits(ProxyManager<String> buckets, MeterRegistry meters) {
        this.buckets = buckets;
        this.meters = meters;
    }

    private RateLimitedException refused(Limit limit, long nanosToWait) {
        meters.counter("calling.ratelimit.refusals", "limit", limit.name()).increment();
        return new RateLimitedException(limit.description(), secondsToWait(nanosToWait));
    }

    /** Takes one token for the subject, or refuses with the seconds to wait. */
    public void consume(Limit limit, String subject) {
        ConsumptionProbe probe = bucket(limit, subject).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw refused(limit, probe.getNanosToWaitForRefill());
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
        return asyncBucket(limit, subject)
                .tryConsumeAndReturnRemaining(1)
                .thenAccept(probe -> {
                    if (!probe.isConsumed()) {
                        throw refused(limit, probe.getNanosToWaitForRefill());
                    }
                });
    }

    /** Takes one token if there is one; for counting failures, where the next attempt is what gets refused. */
    public void record(Limit limit, String subject) {
        bucket(limit, subject).tryConsume(1);
    }

    /**
     * {@link #record} without waiting on the store; answers how long (nanoseconds) the subject is now out of tokens,
     * 0 when it has some left.
     */
    public CompletableFuture<Long> recordAsync(Limit limit, String subject) {
        if (!buckets.isAsyncModeSupported()) {
            ConsumptionProbe probe = bucket(limit, subject).tryConsumeAndReturnRemaining(1);
            return CompletableFuture.completedFuture(outOfTokensFor(probe));
        }
        return asyncBucket(limit, subject)
                .tryConsumeAndReturnRemaining(1).thenApply(RateLimits::outOfTokensFor);
    }

    /** Without taking a token and without waiting on the store: how long (nanoseconds) the subject has none left. */
    public CompletableFuture<Long> waitAsync(Limit limit, String subject) {
        if (!buckets.isAsyncModeSupported()) {
            return CompletableFuture.completedFuture(waitFor(bucket(limit, subject).estimateAbilityToConsume(1)));
        }
        return asyncBucket(limit, subject)
                .estimateAbilityToConsume(1).thenApply(RateLimits::waitFor);
    }

    /** Counts a refusal decided without asking the store (from what an earlier answer said). */
    public RateLimitedException refusedFor(Limit limit, long nanosToWait) {
        return refused(limit, nanosToWait);
    }

    private static long outOfTokensFor(ConsumptionProbe probe) {
        if (!probe.isConsumed()) {
            return probe.getNanosToWaitForRefill();
        }
        return probe.getRemainingTokens() > 0 ? 0 : probe.getNanosToWaitForReset();
    }

    private static long waitFor(EstimationProbe estimate) {
        return estimate.canBeConsumed() ? 0 : estimate.getNanosToWaitForRefill();
    }

    /** Refuses, with the seconds to wait, when the subject has no token left; takes none. */
    public void requireAvailable(Limit limit, String subject) {
        EstimationProbe estimate = bucket(limit, subject).estimateAbilityToConsume(1);
        if (!estimate.canBeConsumed()) {
            throw refused(limit, estimate.getNanosToWaitForRefill());
        }
    }

    private AsyncBucketProxy asyncBucket(Limit limit, String subject) {
        return buckets.asAsync().builder().build(key(limit, subject), limit.bucket());
    }

    private static String key(Limit limit, String subject) {
        return limit.name() + ":" + subject;
    }

    private BucketProxy bucket(Limit limit, String subject) {
        Supplier<BucketConfiguration> configuration = limit::bucket;
        return buckets.builder().build(key(limit, subject), configuration);
    }

    private static long secondsToWait(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}

package com.dehive.calling.query.tokens;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Skips a claim extension when this node wrote the same claim moments ago.
 *
 * <p>Axon's tracking processor extends its claim at the start of every batch, and stores its token (which renews the
 * claim too) at the end of it: under a steady load, two writes of the same token document per batch, the first
 * moments after the last. A claim this node renewed less than {@code renewalInterval} ago still holds for most of the
 * claim timeout, and no other node can take it before that timeout runs out (only its owner releases a claim), so
 * the extension adds nothing. Axon's pooled processor renews a busy claim the same way, through its token writes.
 *
 * <p>Only writes the store answered count: a failed one, a release or a delete forgets the renewal, so the next
 * extension asks the store again.
 */
public final class RecentClaimsTokenStore extends ForwardingTokenStore {

    private record Claim(String processorName, int segment) {
    }

    private final long renewalIntervalNanos;
    private final LongSupplier nanoTime;
    /** When this node last had each claim renewed by the store: the time the write was sent. */
    private final Map<Claim, Long> renewedAt = new ConcurrentHashMap<>();

    public RecentClaimsTokenStore(TokenStore delegate, Duration renewalInterval) {
        this(delegate, renewalInterval, System::nanoTime);
    }

    RecentClaimsTokenStore(TokenStore delegate, Duration renewalInterval, LongSupplier nanoTime) {
        super(delegate);
        this.renewalIntervalNanos = renewalInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        Claim claim = new Claim(processorName, segment);
        Long last = renewedAt.get(claim);
        if (last != null && nanoTime.getAsLong() - last < renewalIntervalNanos) {
            return;
        }
        renewing(claim, () -> {
            delegate.extendClaim(processorName, segment);
            return null;
        });
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        renewing(new Claim(processorName, segment), () -> {
            delegate.storeToken(token, processorName, segment);
            return null;
        });
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        return renewing(new Claim(processorName, segment), () -> delegate.fetchToken(processorName, segment));
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        return renewing(new Claim(processorName, segment.getSegmentId()),
                () -> delegate.fetchToken(processorName, segment));
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        renewedAt.remove(new Claim(processorName, segment));
        delegate.releaseClaim(processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        renewedAt.remove(new Claim(processorName, segment));
        delegate.deleteToken(processorName, segment);
    }

    private <T> T renewing(Claim claim, Supplier<T> write) {
        long sentAt = nanoTime.getAsLong();
        try {
            T result = write.get();
            renewedAt.put(claim, sentAt);
            return result;
        } catch (RuntimeException e) {
            renewedAt.remove(claim);
            throw e;
        }
    }
}

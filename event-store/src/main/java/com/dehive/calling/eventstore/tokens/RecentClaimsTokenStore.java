package com.dehive.calling.eventstore.tokens;

import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToRetrieveIdentifierException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Axon's token store, except that a claim extension is skipped when this node wrote the same claim moments ago.
 *
 * <p>Axon's tracking processor extends its claim at the start of every batch and stores its token (which renews the
 * claim too) at the end of it, and extends it again at every wait of a second for events when idle. In the driver's
 * command log of a bench run (1,033 call flows) the extensions were 3.5 of the 45 store requests of a call flow, each
 * moments after the same processor stored its token; idle, they were three store writes a second and a commit of
 * the embedded store's file behind them. A claim this node renewed less than {@code renewalInterval} ago (a quarter
 * of the claim timeout) holds for most of the timeout still, and no other node can take it before the timeout runs
 * out (only its owner releases a claim), so the extension adds nothing. A token written at the end of a batch still
 * fails if another node took the claim, so a processor that lost a segment still finds out at its next write.
 *
 * <p>Only writes the store answered count: a failed one, a release or a delete forgets the renewal, so the next
 * extension asks the store again.
 */
public final class RecentClaimsTokenStore implements TokenStore {

    private record Claim(String processorName, int segment) {
    }

    private final TokenStore delegate;
    private final long renewalIntervalNanos;
    private final LongSupplier nanoTime;
    /** When this node last had each claim renewed by the store: the time the write was sent. */
    private final Map<Claim, Long> renewedAt = new ConcurrentHashMap<>();

    public RecentClaimsTokenStore(TokenStore delegate, Duration renewalInterval) {
        this(delegate, renewalInterval, System::nanoTime);
    }

    RecentClaimsTokenStore(TokenStore delegate, Duration renewalInterval, LongSupplier nanoTime) {
        this.delegate = delegate;
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

    // the rest as the store does it

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment)
            throws UnableToInitializeTokenException {
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount) throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken)
            throws UnableToClaimTokenException {
        delegate.initializeTokenSegments(processorName, segmentCount, initialToken);
    }

    @Override
    public boolean requiresExplicitSegmentInitialization() {
        return delegate.requiresExplicitSegmentInitialization();
    }

    @Override
    public int[] fetchSegments(String processorName) {
        return delegate.fetchSegments(processorName);
    }

    @Override
    public List<Segment> fetchAvailableSegments(String processorName) {
        return delegate.fetchAvailableSegments(processorName);
    }

    @Override
    public Optional<String> retrieveStorageIdentifier() throws UnableToRetrieveIdentifierException {
        return delegate.retrieveStorageIdentifier();
    }
}

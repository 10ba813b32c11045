package com.dehive.calling.query.writebehind;

import com.dehive.calling.query.tokens.ForwardingTokenStore;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.UnableToInitializeTokenException;

/**
 * The token store, in step with {@link WriteBehind}'s lanes: a processor's token for a batch whose writes went on a
 * lane is queued behind them on that lane, and every other use of a segment that has a lane waits until the lane has
 * applied what it holds. Segments without a lane (processors that write in their handlers) are passed straight
 * through.
 */
public final class WriteBehindTokenStore extends ForwardingTokenStore {

    private final WriteBehind writeBehind;

    public WriteBehindTokenStore(TokenStore delegate, WriteBehind writeBehind) {
        super(delegate);
        this.writeBehind = writeBehind;
    }

    @Override
    public void storeToken(TrackingToken token, String processorName, int segment) {
        WriteBehind.Lane lane = writeBehind.existingLane(processorName, segment);
        if (lane == null) {
            delegate.storeToken(token, processorName, segment);
        } else if (WriteBehind.inBatchOf(processorName, segment)) {
            // the batch's own token, stored when the batch commits: behind the batch's writes
            lane.submit(() -> delegate.storeToken(token, processorName, segment));
        } else {
            lane.drain();
            lane.throwFailure();
            delegate.storeToken(token, processorName, segment);
        }
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) throws UnableToClaimTokenException {
        // whoever reads the token starts from it: it covers exactly the batches that were written
        drainAndForgetFailure(processorName, segment);
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) throws UnableToClaimTokenException {
        drainAndForgetFailure(processorName, segment.getSegmentId());
        return delegate.fetchToken(processorName, segment);
    }

    @Override
    public void extendClaim(String processorName, int segment) throws UnableToClaimTokenException {
        // a claim is not ordered with the writes; a failed write fails the processor here too, without waiting
        WriteBehind.Lane lane = writeBehind.existingLane(processorName, segment);
        if (lane != null) {
            lane.throwFailure();
        }
        delegate.extendClaim(processorName, segment);
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        // a processor releases its segment when it stops or fails: what it queued is applied first
        drainAndForgetFailure(processorName, segment);
        delegate.releaseClaim(processorName, segment);
    }

    @Override
    public void initializeSegment(TrackingToken token, String processorName, int segment)
            throws UnableToInitializeTokenException {
        drainAndForgetFailure(processorName, segment);
        delegate.initializeSegment(token, processorName, segment);
    }

    @Override
    public void deleteToken(String processorName, int segment) throws UnableToClaimTokenException {
        drainAndForgetFailure(processorName, segment);
        delegate.deleteToken(processorName, segment);
    }

    private void drainAndForgetFailure(String processorName, int segment) {
        WriteBehind.Lane lane = writeBehind.existingLane(processorName, segment);
        if (lane != null) {
            lane.drainAndForgetFailure();
        }
    }
}

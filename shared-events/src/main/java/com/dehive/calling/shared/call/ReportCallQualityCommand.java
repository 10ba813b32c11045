package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A summary of the participant's media so far: mean round-trip time, current jitter, the share of audio and video
 * packets lost (null for a medium not received), mean received bitrate and video freezes. One a minute while the
 * call is live, and a closing one after it ended.
 */
public record ReportCallQualityCommand(@TargetAggregateIdentifier CallId callId, UserId participant, double rttMs,
                                       double jitterMs, Double audioLossPct, Double videoLossPct,
                                       double avgBitrateKbps, long freezeCount) implements CallReport {
}

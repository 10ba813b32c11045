package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A participant's summary of their media so far in the call (see {@link ReportCallQualityCommand}); {@code closing}
 * for the one sent after the call ended, which covers the whole call.
 */
@Revision("1")
public record CallQualitySampledEvent(CallId callId, UserId participant, double rttMs, double jitterMs,
                                      Double audioLossPct, Double videoLossPct, double avgBitrateKbps,
                                      long freezeCount, boolean closing, Instant sampledAt) implements CallEvent {
}

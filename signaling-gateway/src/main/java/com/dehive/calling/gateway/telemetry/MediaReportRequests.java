package com.dehive.calling.gateway.telemetry;

import com.dehive.calling.gateway.call.CallRequests;
import com.dehive.calling.shared.call.CandidateType;
import com.dehive.calling.shared.call.IceState;
import com.dehive.calling.shared.call.MediaFailureReason;
import com.dehive.calling.shared.call.TransportProtocol;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The bodies of the media reports, over REST and Socket.IO alike (snake_case). Summaries only: fields other than
 * these (an SDP, a candidate, an address) are dropped unread and never stored.
 */
public final class MediaReportRequests {

    private MediaReportRequests() {
    }

    /** {@code callConnected}: milliseconds from the answer to the peer connection's first {@code connected}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Connected(
            @NotBlank @Pattern(regexp = CallRequests.ID_PATTERN, message = CallRequests.ID_MESSAGE) String callId,
            @NotNull @Min(0) @Max(600_000) Long timeToConnectMs,
            @NotNull CandidateType localCandidateType,
            @NotNull CandidateType remoteCandidateType,
            @NotNull TransportProtocol protocol) {
    }

    /** {@code callMediaFailed}: the ICE state the media was left in, and why if the client can tell. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MediaFailed(
            @NotBlank @Pattern(regexp = CallRequests.ID_PATTERN, message = CallRequests.ID_MESSAGE) String callId,
            @NotNull IceState iceState,
            MediaFailureReason reason) {
    }

    /** {@code callStats}: the media so far; a loss share is absent for a medium the participant does not receive. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(
            @NotBlank @Pattern(regexp = CallRequests.ID_PATTERN, message = CallRequests.ID_MESSAGE) String callId,
            @NotNull @DecimalMin("0") @DecimalMax("60000") Double rttMs,
            @NotNull @DecimalMin("0") @DecimalMax("60000") Double jitterMs,
            @DecimalMin("0") @DecimalMax("100") Double audioLossPct,
            @DecimalMin("0") @DecimalMax("100") Double videoLossPct,
            @NotNull @DecimalMin("0") @DecimalMax("1000000") Double avgBitrateKbps,
            @NotNull @Min(0) @Max(1_000_000) Long freezeCount) {
    }
}

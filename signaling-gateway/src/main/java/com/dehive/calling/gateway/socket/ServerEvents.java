package com.dehive.calling.gateway.socket;

import com.dehive.calling.shared.query.UserInfoView;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * What the server sends on {@code /rtc}, one record per event shape of PROTOCOL.md: "to the sender" shapes for the
 * socket (or user) that acted, "to the other party" shapes for the peer. Names are snake_case, except
 * {@code userDehiveId} and the ICE fields {@code sdpMid}/{@code sdpMLineIndex}, as the original clients expect.
 */
public final class ServerEvents {

    private ServerEvents() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IdentityConfirmed(@JsonProperty("userDehiveId") String userDehiveId, String status,
                                    Instant timestamp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pong(Instant timestamp, String message) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorEvent(String message, String code, String details, Instant timestamp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallStarted(String callId, String status, String targetUserId, Instant timestamp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IncomingCall(String callId, String callerId, UserInfoView callerInfo, boolean withVideo,
                               boolean withAudio, Instant timestamp) {
    }

    /** {@code callAccepted} to the accepting socket. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallAcceptedBySelf(String callId, String status, Instant timestamp) {
    }

    /** {@code callAccepted} to the caller. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallAcceptedForCaller(String callId, String calleeId, UserInfoView calleeInfo, boolean withVideo,
                                        boolean withAudio, Instant timestamp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallAnsweredElsewhere(String callId, Instant timestamp) {
    }

    /** {@code callDeclined} to the callee's sockets. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallDeclinedBySelf(String callId, String status, Instant timestamp) {
    }

    /** {@code callDeclined} to the caller. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallDeclinedForCaller(String callId, String calleeId, String reason, Instant timestamp) {
    }

    /** {@code callEnded} to the user who hung up. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallEndedBySelf(String callId, String status, Long duration, Instant timestamp) {
    }

    /** {@code callEnded} to the other party. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallEndedForPeer(String callId, String endedBy, String reason, Long duration, Instant timestamp) {
    }

    /** {@code callEnded} to both parties, when the service ended the call (timeout, busy, vanished party). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallEndedByService(String callId, String reason, Long duration, Instant timestamp) {
    }

    /** {@code mediaToggled} to the user who toggled. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MediaToggledBySelf(String callId, String mediaType, String state, Instant timestamp) {
    }

    /** {@code mediaToggled} to the other party. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MediaToggledForPeer(String callId, String userId, String mediaType, String state,
                                      Instant timestamp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PeerDisconnected(String callId, String userId, Instant graceEndsAt, Instant timestamp) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PeerReconnected(String callId, String userId, Instant timestamp) {
    }

    /** {@code signalOffer}, relayed: the offer exactly as sent (object or string). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignalOffer(String callId, JsonNode offer, JsonNode metadata, String fromUserId,
                              Instant timestamp) {
    }

    /** {@code signalAnswer}, relayed: the answer exactly as sent. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignalAnswer(String callId, JsonNode answer, JsonNode metadata, String fromUserId,
                               Instant timestamp) {
    }

    /** {@code iceCandidate}, relayed: the candidate exactly as sent. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IceCandidate(String callId, JsonNode candidate, @JsonProperty("sdpMLineIndex") JsonNode sdpMLineIndex,
                               @JsonProperty("sdpMid") JsonNode sdpMid, JsonNode metadata, String fromUserId,
                               Instant timestamp) {
    }
}

package com.dehive.calling.shared.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** The call view of PROTOCOL.md; optional fields are left out until they have a value. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CallView(
        String callId,
        String status,
        String callerId,
        String calleeId,
        UserInfoView callerInfo,
        UserInfoView calleeInfo,
        boolean withVideo,
        boolean withAudio,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant startedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant endedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String endReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long durationSeconds,
        boolean callerAudioEnabled,
        boolean callerVideoEnabled,
        boolean calleeAudioEnabled,
        boolean calleeVideoEnabled,
        boolean callerAudioMuted,
        boolean callerVideoMuted,
        boolean calleeAudioMuted,
        boolean calleeVideoMuted) {

    public boolean hasParticipant(String userId) {
        return callerId.equals(userId) || calleeId.equals(userId);
    }
}

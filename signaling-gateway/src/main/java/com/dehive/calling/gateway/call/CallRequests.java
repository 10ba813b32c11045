package com.dehive.calling.gateway.call;

import com.dehive.calling.shared.call.MediaState;
import com.dehive.calling.shared.call.MediaType;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The request bodies of the call commands, over REST and Socket.IO alike; their wire names are snake_case. */
public final class CallRequests {

    public static final String ID_PATTERN = "[A-Za-z0-9_-]{1,64}";
    public static final String ID_MESSAGE = "must be 1 to 64 characters of [A-Za-z0-9_-]";

    private CallRequests() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StartCall(@NotBlank @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String targetUserId,
                     Boolean withVideo, Boolean withAudio) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AcceptCall(@NotBlank @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String callId,
                      Boolean withVideo, Boolean withAudio) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CallReference(@NotBlank @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String callId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ToggleMedia(@NotBlank @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String callId,
                       @NotNull MediaType mediaType, @NotNull MediaState state) {
    }

    /** Absent means on, as in the original clients. */
    public static boolean orTrue(Boolean flag) {
        return flag == null || flag;
    }
}

package com.dehive.calling.query.conversation;

import com.dehive.calling.shared.call.EndReason;

/** The words of an end-of-call system message, as PROTOCOL.md lists them. */
final class CallMessageText {

    private CallMessageText() {
    }

    static String of(EndReason reason, boolean withVideo, long durationSeconds) {
        return switch (reason) {
            case USER_DECLINED -> "Call declined";
            case TIMEOUT, USER_BUSY -> "Missed call";
            case CANCELLED -> "Call cancelled";
            case CONNECTION_ERROR -> "Call disconnected";
            case USER_HANGUP -> (withVideo ? "Video call" : "Voice call") + " \u2022 " + duration(durationSeconds);
        };
    }

    /** {@code M:SS} below an hour ({@code 0:05}, {@code 1:05}), {@code H:MM:SS} from one hour ({@code 1:02:05}). */
    static String duration(long totalSeconds) {
        long hours = totalSeconds / 3600;
        long minutes = totalSeconds % 3600 / 60;
        long seconds = totalSeconds % 60;
        return hours > 0
                ? String.format("%d:%02d:%02d", hours, minutes, seconds)
                : String.format("%d:%02d", minutes, seconds);
    }
}

package com.dehive.calling.query.conversation;

import com.dehive.calling.shared.call.EndReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallMessageTextTest {

    @Test
    void every_outcome_has_its_words() {
        assertThat(CallMessageText.of(EndReason.USER_DECLINED, true, 0)).isEqualTo("Call declined");
        assertThat(CallMessageText.of(EndReason.TIMEOUT, true, 0)).isEqualTo("Missed call");
        assertThat(CallMessageText.of(EndReason.USER_BUSY, false, 0)).isEqualTo("Missed call");
        assertThat(CallMessageText.of(EndReason.CANCELLED, true, 0)).isEqualTo("Call cancelled");
        assertThat(CallMessageText.of(EndReason.CONNECTION_ERROR, true, 75)).isEqualTo("Call disconnected");
        assertThat(CallMessageText.of(EndReason.USER_HANGUP, true, 252)).isEqualTo("Video call \u2022 4:12");
        assertThat(CallMessageText.of(EndReason.USER_HANGUP, false, 5)).isEqualTo("Voice call \u2022 0:05");
    }

    @Test
    void durations_below_an_hour_read_minutes_and_seconds() {
        assertThat(CallMessageText.duration(0)).isEqualTo("0:00");
        assertThat(CallMessageText.duration(5)).isEqualTo("0:05");
        assertThat(CallMessageText.duration(65)).isEqualTo("1:05");
        assertThat(CallMessageText.duration(600)).isEqualTo("10:00");
        assertThat(CallMessageText.duration(3599)).isEqualTo("59:59");
    }

    @Test
    void durations_from_one_hour_read_hours_minutes_and_seconds() {
        assertThat(CallMessageText.duration(3600)).isEqualTo("1:00:00");
        assertThat(CallMessageText.duration(3725)).isEqualTo("1:02:05");
        assertThat(CallMessageText.duration(36000 + 61)).isEqualTo("10:01:01");
    }
}

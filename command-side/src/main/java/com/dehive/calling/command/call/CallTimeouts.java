package com.dehive.calling.command.call;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How long a call may ring ({@code CALL_RING_TIMEOUT}) and how long a vanished participant has to come back
 * ({@code CALL_RECONNECT_GRACE}).
 */
@Validated
@ConfigurationProperties("calling.calls")
public record CallTimeouts(@NotNull Duration ringTimeout, @NotNull Duration reconnectGrace) {
}

package com.dehive.calling.gateway.ratelimit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Call starts per caller per window ({@code CALL_RATE_LIMIT} per {@code CALL_RATE_WINDOW}), and failed
 * authentications per client address per window.
 */
@Validated
@ConfigurationProperties("calling.rate-limit")
public record RateLimitProperties(@Min(1) int callStarts, @NotNull Duration callWindow,
                                  @Min(1) int authFailures, @NotNull Duration authFailureWindow) {
}

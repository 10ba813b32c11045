package com.dehive.calling.gateway.turn;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * The TURN server (coturn with {@code use-auth-secret}) and the STUN servers handed to clients. The shared secret
 * never appears in {@link #toString()}.
 */
@Validated
@ConfigurationProperties("calling.turn")
public record TurnProperties(@NotBlank String host, @Min(1) @Max(65535) int port, String secret,
                             @NotNull Duration credentialTtl, @NotNull List<String> stunUrls) {

    public boolean configured() {
        return secret != null && !secret.isBlank();
    }

    @Override
    public String toString() {
        return "TurnProperties[host=" + host + ", port=" + port + ", secret=" + (configured() ? "***" : "unset")
                + ", credentialTtl=" + credentialTtl + ", stunUrls=" + stunUrls + "]";
    }
}

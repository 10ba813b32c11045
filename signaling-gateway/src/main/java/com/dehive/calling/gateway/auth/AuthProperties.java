package com.dehive.calling.gateway.auth;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Authentication settings. {@code mode} unset means: {@code jwt} when a secret or JWKS URI is configured, else
 * {@code dev}. {@code devExposed} ({@code CALLING_DEV_AUTH_EXPOSED}) lets dev mode listen on more than loopback.
 * The secret never appears in {@link #toString()}.
 */
@Validated
@ConfigurationProperties("calling.auth")
public record AuthProperties(AuthMode mode, String jwtSecret, String jwksUri, @NotNull Duration devTokenTtl,
                             String decodeGatewayHost, Integer decodeGatewayPort,
                             @NotNull Duration decodeGatewayTimeout, @NotNull Duration sessionCacheMax,
                             boolean devExposed) {

    public AuthMode effectiveMode() {
        if (mode != null) {
            return mode;
        }
        if (hasJwtSecret() || StringUtils.hasText(jwksUri)) {
            return AuthMode.JWT;
        }
        return StringUtils.hasText(decodeGatewayHost) ? AuthMode.SESSION : AuthMode.DEV;
    }

    /** The Decode gateway that validates sessions (auth mode {@code session}). */
    public String decodeGatewayUrl() {
        if (!StringUtils.hasText(decodeGatewayHost)) {
            throw new IllegalStateException("auth mode session needs DECODE_API_GATEWAY_HOST");
        }
        return "http://" + decodeGatewayHost + (decodeGatewayPort == null ? "" : ":" + decodeGatewayPort);
    }

    public boolean hasJwtSecret() {
        return StringUtils.hasText(jwtSecret);
    }

    @Override
    public String toString() {
        return "AuthProperties[mode=" + effectiveMode() + ", jwtSecret=" + (hasJwtSecret() ? "***" : "unset")
                + ", jwksUri=" + jwksUri + ", devTokenTtl=" + devTokenTtl + ", decodeGatewayHost=" + decodeGatewayHost
                + ", decodeGatewayPort=" + decodeGatewayPort + ", devExposed=" + devExposed + "]";
    }
}

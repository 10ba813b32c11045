package com.dehive.calling.gateway.auth;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Authentication settings. {@code mode} unset means: {@code jwt} when a secret or JWKS URI is configured, else
 * {@code dev}. The secret never appears in {@link #toString()}.
 */
@Validated
@ConfigurationProperties("calling.auth")
public record AuthProperties(AuthMode mode, String jwtSecret, String jwksUri, @NotNull Duration devTokenTtl) {

    public AuthMode effectiveMode() {
        if (mode != null) {
            return mode;
        }
        return hasJwtSecret() || StringUtils.hasText(jwksUri) ? AuthMode.JWT : AuthMode.DEV;
    }

    public boolean hasJwtSecret() {
        return StringUtils.hasText(jwtSecret);
    }

    @Override
    public String toString() {
        return "AuthProperties[mode=" + effectiveMode() + ", jwtSecret=" + (hasJwtSecret() ? "***" : "unset")
                + ", jwksUri=" + jwksUri + ", devTokenTtl=" + devTokenTtl + "]";
    }
}

package com.dehive.calling.gateway.web;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.cors.CorsConfiguration;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP edge. {@code corsAllowedOrigins} ({@code CORS_ALLOWED_ORIGINS}) are the origins whose pages may call the
 * REST API and the Socket.IO polling transport: {@code *} (the default, as the original service), exact origins
 * ({@code https://app.example.com}) or patterns ({@code https://*.example.com}, {@code http://localhost:[*]}).
 * Request bodies over {@code maxBodySize} are refused with {@code 413 PAYLOAD_TOO_LARGE}.
 */
@Validated
@ConfigurationProperties("calling.web")
public record WebProperties(
        @NotEmpty List<@Pattern(regexp = "\\*|[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]+", message = "must be * or an "
                + "origin without a path, such as https://app.example.com or https://*.example.com") String>
                corsAllowedOrigins,
        @NotNull DataSize maxBodySize) {

    /**
     * What browsers are told. No credentials: callers authenticate with a header, never a cookie, so any origin
     * may be allowed without letting its pages act with a user's cookies.
     */
    public CorsConfiguration cors() {
        CorsConfiguration cors = new CorsConfiguration();
        for (String origin : corsAllowedOrigins) {
            // a lone "*" answers "Access-Control-Allow-Origin: *" like the original; patterns echo the origin
            if (origin.contains("*") && !origin.equals(CorsConfiguration.ALL)) {
                cors.addAllowedOriginPattern(origin);
            } else {
                cors.addAllowedOrigin(origin);
            }
        }
        cors.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.HEAD.name(), HttpMethod.POST.name()));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "x-session-id",
                "x-fingerprint-hashed"));
        cors.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        return cors;
    }
}

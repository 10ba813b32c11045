package com.dehive.calling.gateway.auth.session;

import com.dehive.calling.gateway.auth.AuthMode;
import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sessions of the original deployment, validated against the Decode gateway: {@code GET /auth/sso/validate} with
 * {@code x-session-id} (and {@code x-fingerprint-hashed}) answers an access token and the session's expiry, then
 * {@code GET /users/profile/me} with that token answers the user. Both answers may be wrapped in
 * {@code {success, data}}; the fields read are {@code access_token} (or {@code accessToken}), {@code expires_at}
 * (ISO-8601 or epoch seconds, or {@code expires_in} seconds), and the profile's {@code _id}, {@code username},
 * {@code display_name}, {@code avatar_ipfs_hash} and {@code roles}. A validated session is cached until it expires
 * (at most {@code cacheMax}), keyed by a hash of the session id so that no session id is stored.
 *
 * <p>Asynchronous all the way, so socket listeners never wait on it; a gateway that does not answer within the
 * timeout is reported as AUTH_SERVICE_UNAVAILABLE, and a refused session as AUTHENTICATION_REQUIRED.
 */
public class DecodeSessions {

    private static final Logger log = LoggerFactory.getLogger(DecodeSessions.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String gatewayUrl;
    private final Duration timeout;
    private final Duration cacheMax;
    private final SessionCache cache;
    private final Clock clock;
    private final HttpClient http;

    public DecodeSessions(String gatewayUrl, Duration timeout, Duration cacheMax, SessionCache cache, Clock clock) {
        this.gatewayUrl = gatewayUrl;
        this.timeout = timeout;
        this.cacheMax = cacheMax;
        this.cache = cache;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public CompletableFuture<AuthenticatedUser> validate(String sessionId, String fingerprint) {
        if (sessionId == null || sessionId.isBlank()) {
            return CompletableFuture.failedFuture(
                    new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "A session id is required"));
        }
        String key = cacheKey(sessionId, fingerprint);
        Optional<AuthenticatedUser> cached = cache.find(key);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(cached.get());
        }
        HttpRequest.Builder validate = request("/auth/sso/validate").header("x-session-id", sessionId);
        if (fingerprint != null && !fingerprint.isBlank()) {
            validate.header("x-fingerprint-hashed", fingerprint);
        }
        return call(validate.build()).thenCompose(session -> {
            String accessToken = firstText(session, "access_token", "accessToken");
            if (accessToken == null) {
                throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "The session is not valid");
            }
            Instant expiresAt = expiryOf(session);
            return call(request("/users/profile/me").header("Authorization", "Bearer " + accessToken).build())
                    .thenApply(profile -> {
                        AuthenticatedUser user = userOf(profile);
                        cache.put(key, user, expiresAt);
                        return user;
                    });
        });
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + path)).timeout(timeout).GET();
    }

    /** The answer's {@code data} (or the answer itself), or the refusal or outage it stands for. */
    private CompletableFuture<JsonNode> call(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null) {
                        log.warn("event=session_gateway_unreachable path={} error={}", request.uri().getPath(),
                                failure.getClass().getSimpleName());
                        throw new CompletionException(new CallingException(ErrorCode.AUTH_SERVICE_UNAVAILABLE));
                    }
                    if (response.statusCode() >= 500) {
                        log.warn("event=session_gateway_failed path={} status={}", request.uri().getPath(),
                                response.statusCode());
                        throw new CompletionException(new CallingException(ErrorCode.AUTH_SERVICE_UNAVAILABLE));
                    }
                    if (response.statusCode() != 200) {
                        throw new CompletionException(new CallingException(ErrorCode.AUTHENTICATION_REQUIRED,
                                "The session is not valid"));
                    }
                    try {
                        JsonNode body = JSON.readTree(response.body());
                        return body.has("data") && body.get("data").isObject() ? body.get("data") : body;
                    } catch (Exception e) {
                        throw new CompletionException(new CallingException(ErrorCode.AUTH_SERVICE_UNAVAILABLE,
                                "The session service answered something unreadable"));
                    }
                });
    }

    private Instant expiryOf(JsonNode session) {
        Instant latest = clock.instant().plus(cacheMax);
        Instant expiry = null;
        JsonNode expiresAt = session.get("expires_at");
        if (expiresAt != null && expiresAt.isNumber()) {
            expiry = Instant.ofEpochSecond(expiresAt.asLong());
        } else if (expiresAt != null && expiresAt.isTextual()) {
            try {
                expiry = Instant.parse(expiresAt.asText());
            } catch (DateTimeParseException e) {
                expiry = null;
            }
        } else if (session.has("expires_in")) {
            expiry = clock.instant().plusSeconds(session.get("expires_in").asLong());
        }
        return expiry == null || expiry.isAfter(latest) ? latest : expiry;
    }

    private static AuthenticatedUser userOf(JsonNode profile) {
        String id = firstText(profile, "_id", "id");
        try {
            Set<String> roles = new HashSet<>();
            profile.path("roles").forEach(role -> roles.add(role.asText()));
            return new AuthenticatedUser(new UserProfile(UserId.of(id), firstText(profile, "username"),
                    firstText(profile, "display_name"), firstText(profile, "avatar_ipfs_hash")),
                    Set.copyOf(roles), AuthMode.SESSION);
        } catch (CallingException e) {
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "The session's profile has no valid user id");
        }
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            if (node.hasNonNull(field)) {
                return node.get(field).asText();
            }
        }
        return null;
    }

    private static String cacheKey(String sessionId, String fingerprint) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (sessionId + "|" + (fingerprint == null ? "" : fingerprint)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}

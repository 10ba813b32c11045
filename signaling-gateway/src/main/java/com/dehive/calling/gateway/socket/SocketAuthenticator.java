package com.dehive.calling.gateway.socket;

import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.auth.JwtUsers;
import com.dehive.calling.gateway.auth.session.DecodeSessions;
import com.dehive.calling.gateway.ratelimit.AuthFailureLimit;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

import java.util.concurrent.CompletableFuture;

/**
 * Proves who is behind a socket from the credential it presents (at the handshake or in {@code identity}), with the
 * same decoder and the same failure limit per address as REST. The failure limit does not wait on Redis on a Netty
 * thread; a session's look-up in the session cache does when that cache is in Redis (it is read synchronously).
 */
public class SocketAuthenticator {

    private final JwtDecoder decoder;
    private final JwtUsers users;
    private final AuthFailureLimit failures;
    private final DecodeSessions sessions;

    /** {@code sessions} is null unless the auth mode is session. */
    public SocketAuthenticator(JwtDecoder decoder, JwtUsers users, AuthFailureLimit failures,
                               DecodeSessions sessions) {
        this.decoder = decoder;
        this.users = users;
        this.failures = failures;
        this.sessions = sessions;
    }

    /** Auth mode session: validated by the Decode gateway (or its cache), without blocking the caller. */
    public CompletableFuture<AuthenticatedUser> bySession(String sessionId, String fingerprint, String clientAddress) {
        failures.requireAllowedOnSocket(clientAddress);
        if (sessions == null) {
            return CompletableFuture.failedFuture(new CallingException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "Sessions are not accepted here: authenticate with a token"));
        }
        return sessions.validate(sessionId, fingerprint).whenComplete((user, failure) -> {
            if (failure != null && Failure.describe(failure).code() == ErrorCode.AUTHENTICATION_REQUIRED) {
                failures.failedOnSocket(clientAddress);
            }
        });
    }

    public AuthenticatedUser byToken(String token, String clientAddress) {
        failures.requireAllowedOnSocket(clientAddress);
        if (sessions != null) {
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "Tokens are not accepted here: authenticate with a session_id");
        }
        if (token == null || token.isBlank()) {
            failures.failedOnSocket(clientAddress);
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "A token is required");
        }
        try {
            return users.user(decoder.decode(token));
        } catch (JwtException | OAuth2AuthenticationException e) {
            failures.failedOnSocket(clientAddress);
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "The token is invalid or expired");
        }
    }
}

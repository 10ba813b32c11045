package com.dehive.calling.gateway.socket;

import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.auth.JwtUsers;
import com.dehive.calling.gateway.ratelimit.AuthFailureLimit;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/**
 * Proves who is behind a socket from the credential it presents (at the handshake or in {@code identity}), with the
 * same decoder and the same failure limit per address as REST.
 */
public class SocketAuthenticator {

    private final JwtDecoder decoder;
    private final JwtUsers users;
    private final AuthFailureLimit failures;

    public SocketAuthenticator(JwtDecoder decoder, JwtUsers users, AuthFailureLimit failures) {
        this.decoder = decoder;
        this.users = users;
        this.failures = failures;
    }

    public AuthenticatedUser byToken(String token, String clientAddress) {
        failures.requireAllowed(clientAddress);
        if (token == null || token.isBlank()) {
            failures.failed(clientAddress);
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "A token is required");
        }
        try {
            return users.user(decoder.decode(token));
        } catch (JwtException | OAuth2AuthenticationException e) {
            failures.failed(clientAddress);
            throw new CallingException(ErrorCode.AUTHENTICATION_REQUIRED, "The token is invalid or expired");
        }
    }
}

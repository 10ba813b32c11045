package com.dehive.calling.gateway.auth.session;

import com.dehive.calling.gateway.auth.AuthenticatedUser;
import com.dehive.calling.gateway.auth.CallerAuthentication;
import com.dehive.calling.gateway.ratelimit.AuthFailureLimit;
import com.dehive.calling.gateway.web.ApiErrorWriter;
import com.dehive.calling.gateway.web.Failure;
import com.dehive.calling.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * Auth mode session over REST: {@code x-session-id} (+ {@code x-fingerprint-hashed}) proves the caller. A request
 * without one goes on unauthenticated (and is refused where a caller is needed).
 */
public class SessionAuthenticationFilter extends OncePerRequestFilter {

    private final DecodeSessions sessions;
    private final ApiErrorWriter errors;
    private final AuthFailureLimit failures;

    public SessionAuthenticationFilter(DecodeSessions sessions, ApiErrorWriter errors, AuthFailureLimit failures) {
        this.sessions = sessions;
        this.errors = errors;
        this.failures = failures;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String sessionId = request.getHeader("x-session-id");
        if (sessionId == null) {
            chain.doFilter(request, response);
            return;
        }
        AuthenticatedUser user;
        try {
            user = sessions.validate(sessionId, request.getHeader("x-fingerprint-hashed")).join();
        } catch (CompletionException e) {
            Failure failure = Failure.describe(e);
            if (failure.code() == ErrorCode.AUTHENTICATION_REQUIRED) {
                failures.failed(request.getRemoteAddr());
            }
            errors.write(request, response, failure.code(), failure.message(), failure.detail());
            return;
        }
        SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(user));
        chain.doFilter(request, response);
    }
}

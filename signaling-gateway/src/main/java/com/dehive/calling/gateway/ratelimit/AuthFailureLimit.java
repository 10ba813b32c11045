package com.dehive.calling.gateway.ratelimit;

import com.dehive.calling.gateway.web.ApiErrorWriter;
import com.dehive.calling.shared.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;

/**
 * Failed authentications per client address: each failure takes a token; an address without tokens is refused
 * ({@code 429 RATE_LIMITED}) before its credential is even looked at, so guessing tokens or sessions is slow.
 */
@Component
public class AuthFailureLimit {

    private final RateLimits rateLimits;
    private final RateLimits.Limit limit;
    private final ApiErrorWriter errors;

    public AuthFailureLimit(RateLimits rateLimits, RateLimitProperties properties, ApiErrorWriter errors) {
        this.rateLimits = rateLimits;
        this.limit = new RateLimits.Limit("auth-failures", "failed authentications", properties.authFailures(),
                properties.authFailureWindow());
        this.errors = errors;
    }

    /**
     * Addresses that are out of attempts, and until when (System.nanoTime), as the store last said: sockets are
     * refused from here, because a handshake runs on a Netty I/O thread that must not wait for Redis. This node
     * learns of an address from its own failures and from an asynchronous look at the store at each handshake, so
     * with several nodes an address may get one more attempt on a node that had not heard of it yet.
     */
    private final Cache<String, Long> refusedUntil = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    /** Counts one failed authentication from the address. */
    public void failed(String clientAddress) {
        rateLimits.record(limit, clientAddress);
    }

    /** Refuses when the address has failed too often; for sockets, which have no servlet filter. */
    public void requireAllowed(String clientAddress) {
        rateLimits.requireAvailable(limit, clientAddress);
    }

    /** {@link #failed} for sockets: recorded without waiting on the store. */
    public void failedOnSocket(String clientAddress) {
        rateLimits.recordAsync(limit, clientAddress).thenAccept(nanos -> remember(clientAddress, nanos));
    }

    /** {@link #requireAllowed} for sockets: decided from what this node knows, and refreshed in the background. */
    public void requireAllowedOnSocket(String clientAddress) {
        rateLimits.waitAsync(limit, clientAddress).thenAccept(nanos -> remember(clientAddress, nanos));
        Long until = refusedUntil.getIfPresent(clientAddress);
        long left = until == null ? 0 : until - System.nanoTime();
        if (left > 0) {
            throw rateLimits.refusedFor(limit, left);
        }
    }

    private void remember(String clientAddress, long nanosToWait) {
        if (nanosToWait > 0) {
            refusedUntil.put(clientAddress, System.nanoTime() + nanosToWait);
        } else {
            refusedUntil.invalidate(clientAddress);
        }
    }

    /** The servlet filter that turns away addresses that failed too often. */
    public OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                try {
                    requireAllowed(request.getRemoteAddr());
                } catch (RateLimitedException e) {
                    response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
                    errors.write(request, response, ErrorCode.RATE_LIMITED, e.getMessage(), e.getMessage());
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }
}

package com.dehive.calling.gateway.ratelimit;

import com.dehive.calling.gateway.web.ApiErrorWriter;
import com.dehive.calling.shared.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

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

    /** Counts one failed authentication from the address. */
    public void failed(String clientAddress) {
        rateLimits.record(limit, clientAddress);
    }

    /** Refuses when the address has failed too often; for sockets, which have no servlet filter. */
    public void requireAllowed(String clientAddress) {
        rateLimits.requireAvailable(limit, clientAddress);
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

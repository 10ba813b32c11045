package com.dehive.calling.gateway.ratelimit;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;

/** A refusal for going too fast, saying how many seconds to wait (the {@code Retry-After} of the answer). */
public class RateLimitedException extends CallingException {

    private final long retryAfterSeconds;

    public RateLimitedException(String what, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, "Too many " + what + ": try again in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

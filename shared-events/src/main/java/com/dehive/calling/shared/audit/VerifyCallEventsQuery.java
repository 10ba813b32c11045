package com.dehive.calling.shared.audit;

import com.dehive.calling.shared.CallId;

/** Recomputes a call's hash chain from the raw store; answered with a {@link ChainVerificationView}. */
public record VerifyCallEventsQuery(CallId callId) {
}

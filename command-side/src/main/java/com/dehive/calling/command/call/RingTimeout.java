package com.dehive.calling.command.call;

import com.dehive.calling.shared.CallId;

/** The payload of a call's ring-timeout deadline (a deadline handler's first parameter is its payload). */
public record RingTimeout(CallId callId) {
}

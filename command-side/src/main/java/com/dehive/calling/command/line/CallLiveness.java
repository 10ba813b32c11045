package com.dehive.calling.command.line;

import com.dehive.calling.shared.CallId;

import java.time.Instant;

/** Whether the call that holds a line is still ringing or connected, decided from the call's own events. */
@FunctionalInterface
public interface CallLiveness {

    /**
     * @param othersMayBeStartingIt whether a call with no events yet may still be being started elsewhere (another
     *                              process's claim, on a store several processes share)
     */
    boolean isLive(CallId call, Instant lineClaimedAt, boolean othersMayBeStartingIt);
}

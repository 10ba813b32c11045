package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;

/** What a user asks of a call, over REST or a socket: each names the call it is about. */
public sealed interface CallCommand
        permits StartCallCommand, AcceptCallCommand, DeclineCallCommand, EndCallCommand, ToggleMediaCommand,
        CallReport {

    CallId callId();
}

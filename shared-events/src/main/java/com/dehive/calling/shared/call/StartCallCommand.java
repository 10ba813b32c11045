package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;

/** Answered with a {@link StartCallResult}. */
public record StartCallCommand(CallId callId, UserProfile caller, UserId callee, boolean withVideo,
                               boolean withAudio) implements CallCommand {
}

package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserProfile;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Answered with an {@link AcceptCallResult}. */
public record AcceptCallCommand(@TargetAggregateIdentifier CallId callId, UserProfile callee,
                                boolean withVideo, boolean withAudio) implements CallCommand {
}

package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Answered with a {@link DeclineCallResult}. */
public record DeclineCallCommand(@TargetAggregateIdentifier CallId callId, UserId actor) implements CallCommand {
}

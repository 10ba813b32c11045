package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Answered with a {@link ToggleMediaResult}. */
public record ToggleMediaCommand(@TargetAggregateIdentifier CallId callId, UserId actor,
                                 MediaType mediaType, MediaState state) implements CallCommand {
}

package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A participant turned a medium on or off, or muted or unmuted it. */
@Revision("1")
public record MediaToggledEvent(CallId callId, UserId userId, CallParty party, UserId peer,
                                MediaType mediaType, MediaState state, Instant toggledAt) implements CallEvent {
}

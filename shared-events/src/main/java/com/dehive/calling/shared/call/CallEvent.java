package com.dehive.calling.shared.call;

import com.dehive.calling.shared.CallId;

/** Every fact recorded about a call. Each event carries the ids its consumers need. */
public sealed interface CallEvent
        permits CallStartedEvent, CallAcceptedEvent, CallDeclinedEvent, CallEndedEvent, MediaToggledEvent,
        ParticipantDisconnectedEvent, ParticipantReconnectedEvent, ParticipantMediaConnectedEvent,
        ParticipantMediaFailedEvent, CallQualitySampledEvent {

    CallId callId();
}

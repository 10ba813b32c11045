package com.dehive.calling.command.line;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Clock;
import java.time.Instant;

/**
 * Reads the holding call's events: over once one of them ended or declined it (its closing quality samples come
 * after the end); a call with no events yet is live only while another process may still be in the middle of
 * starting it.
 */
public class EventStoreCallLiveness implements CallLiveness {

    private final EventStore eventStore;
    private final Clock clock;

    public EventStoreCallLiveness(EventStore eventStore, Clock clock) {
        this.eventStore = eventStore;
        this.clock = clock;
    }

    @Override
    public boolean isLive(CallId call, Instant lineClaimedAt, boolean othersMayBeStartingIt) {
        DomainEventStream events = eventStore.readEvents(call.toString());
        if (!events.hasNext()) {
            return othersMayBeStartingIt && lineClaimedAt.plus(CallLines.CLAIM_GRACE).isAfter(clock.instant());
        }
        while (events.hasNext()) {
            Object event = events.next().getPayload();
            if (event instanceof CallEndedEvent || event instanceof CallDeclinedEvent) {
                return false;
            }
        }
        return true;
    }
}

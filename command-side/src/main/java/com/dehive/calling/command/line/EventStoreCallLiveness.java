package com.dehive.calling.command.line;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Clock;
import java.time.Instant;

/**
 * Reads the holding call's events: over when its last event ended or declined it; a call with no events yet is
 * live only while another process may still be in the middle of starting it.
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
        Object last = null;
        while (events.hasNext()) {
            last = events.next().getPayload();
        }
        if (last == null) {
            return othersMayBeStartingIt && lineClaimedAt.plus(CallLines.CLAIM_GRACE).isAfter(clock.instant());
        }
        return !(last instanceof CallEndedEvent || last instanceof CallDeclinedEvent);
    }
}

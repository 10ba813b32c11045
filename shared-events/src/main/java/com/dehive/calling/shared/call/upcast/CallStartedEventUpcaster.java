package com.dehive.calling.shared.call.upcast;

import com.dehive.calling.shared.call.CallStartedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * Reads {@link CallStartedEvent} revision 0, the shape of the first releases: the caller as a bare {@code callerId},
 * the callee as {@code calleeId}, and no {@code withAudio} (every call had audio). Revision 1 carries the caller's
 * profile and the audio flag.
 */
public class CallStartedEventUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_0 =
            new SimpleSerializedType(CallStartedEvent.class.getName(), "0");
    private static final SimpleSerializedType REVISION_1 =
            new SimpleSerializedType(CallStartedEvent.class.getName(), "1");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        return event.getType().equals(REVISION_0);
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(REVISION_1, JsonNode.class, CallStartedEventUpcaster::toRevision1);
    }

    private static JsonNode toRevision1(JsonNode revision0) {
        ObjectNode event = revision0.deepCopy();
        ObjectNode caller = event.objectNode();
        caller.set("id", event.remove("callerId"));
        caller.putNull("username");
        caller.putNull("displayName");
        caller.putNull("avatarIpfsHash");
        event.set("caller", caller);
        event.set("callee", event.remove("calleeId"));
        event.put("withAudio", true);
        event.put("calleeBusy", false);
        return event;
    }
}

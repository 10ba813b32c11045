package com.dehive.calling.eventstore.engine;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.List;

/**
 * How events are kept in the {@value #COLLECTION} collection: one document per commit (the events one unit of work
 * appended), at the consecutive stream positions {@value #POSITION} to {@value #LAST_POSITION}.
 *
 * <p>A commit of one event (nearly every commit) is a document in axon-mongo's one-document-per-event layout, so
 * events stored before positions existed read the same way. A commit of several events of one aggregate keeps
 * them in an {@value #EVENTS} array: one insert stores them all or none, which a run of single inserts could not
 * promise on a crash.
 */
public final class EventDocuments {

    public static final String COLLECTION = "domainevents";

    public static final String AGGREGATE = "aggregateIdentifier";
    public static final String TYPE = "type";
    /** A commit's first sequence number; the unique (aggregate, sequence) index refuses a second commit of it. */
    public static final String SEQUENCE = "sequenceNumber";
    public static final String LAST_SEQUENCE = "lastSequenceNumber";
    public static final String TIMESTAMP = "timestamp";
    public static final String PAYLOAD = "serializedPayload";
    public static final String PAYLOAD_TYPE = "payloadType";
    public static final String REVISION = "payloadRevision";
    public static final String METADATA = "serializedMetaData";
    public static final String EVENT_ID = "eventIdentifier";
    /** The stream position of a commit's first event, unique in the collection. */
    public static final String POSITION = "globalIndex";
    public static final String LAST_POSITION = "lastGlobalIndex";
    public static final String EVENTS = "events";

    private EventDocuments() {
    }

    /** One stored event: its position in the stream and its data as Axon reads it. */
    public record StoredEvent(long position, Document fields, DomainEventData<String> data) {
    }

    /**
     * The document of a commit, without its positions (see {@link #placeAt}). The events must be one aggregate's,
     * in sequence: one insert can only keep one aggregate's events together under the unique sequence index.
     */
    static Document commitOf(List<? extends EventMessage<?>> events, Serializer serializer) {
        List<Document> entries = new ArrayList<>(events.size());
        for (EventMessage<?> event : events) {
            entries.add(entryOf(event, serializer));
        }
        Document first = entries.get(0);
        String aggregate = first.getString(AGGREGATE);
        long sequence = first.getLong(SEQUENCE);
        for (int i = 1; i < entries.size(); i++) {
            Document entry = entries.get(i);
            if (!aggregate.equals(entry.getString(AGGREGATE)) || entry.getLong(SEQUENCE) != sequence + i) {
                throw new IllegalArgumentException("a unit of work appends the events of one aggregate, in sequence;"
                        + " this one appended " + describe(entries));
            }
        }
        if (entries.size() == 1) {
            return first.append(LAST_SEQUENCE, sequence);
        }
        String type = first.getString(TYPE);
        for (Document entry : entries) {
            entry.remove(AGGREGATE);
            entry.remove(TYPE);
        }
        return new Document(AGGREGATE, aggregate)
                .append(TYPE, type)
                .append(SEQUENCE, sequence)
                .append(LAST_SEQUENCE, sequence + entries.size() - 1)
                .append(TIMESTAMP, first.getString(TIMESTAMP))
                .append(EVENT_ID, first.getString(EVENT_ID))
                .append(EVENTS, entries);
    }

    /** Gives the commit its positions, from {@code first} on, and a fresh {@code _id} for this attempt. */
    static void placeAt(Document commit, long first) {
        commit.put("_id", new ObjectId());
        commit.put(POSITION, first);
        commit.put(LAST_POSITION, first + eventCount(commit) - 1);
    }

    static int eventCount(Document commit) {
        List<?> events = commit.getList(EVENTS, Document.class);
        return events == null ? 1 : events.size();
    }

    /** The events of a stored commit, in order, each with its position. */
    public static List<StoredEvent> eventsOf(Document commit) {
        long position = commit.get(POSITION, Number.class).longValue();
        List<Document> entries = commit.getList(EVENTS, Document.class);
        if (entries == null) {
            return List.of(new StoredEvent(position, commit, dataOf(commit, commit)));
        }
        List<StoredEvent> events = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            events.add(new StoredEvent(position + i, entries.get(i), dataOf(commit, entries.get(i))));
        }
        return events;
    }

    public static long sequenceOf(Document fields) {
        return fields.get(SEQUENCE, Number.class).longValue();
    }

    private static DomainEventData<String> dataOf(Document commit, Document entry) {
        String eventId = entry.getString(EVENT_ID);
        String aggregate = commit.getString(AGGREGATE);
        // axon-mongo stores an event without an aggregate under its own id: read back, it is not a domain event
        return new GenericDomainEventEntry<>(commit.getString(TYPE), eventId.equals(aggregate) ? null : aggregate,
                sequenceOf(entry), eventId, entry.getString(TIMESTAMP), entry.getString(PAYLOAD_TYPE),
                entry.getString(REVISION), text(entry, PAYLOAD), text(entry, METADATA));
    }

    private static String text(Document entry, String field) {
        Object value = entry.get(field);
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalStateException("the event " + entry.getString(EVENT_ID) + " keeps its " + field
                + " as " + (value == null ? "nothing" : value.getClass().getSimpleName())
                + "; this store writes and reads JSON text");
    }

    private static Document entryOf(EventMessage<?> event, Serializer serializer) {
        SerializedObject<String> payload = event.serializePayload(serializer, String.class);
        SerializedObject<String> metaData = event.serializeMetaData(serializer, String.class);
        String aggregate = event.getIdentifier();
        String type = null;
        long sequence = 0;
        if (event instanceof DomainEventMessage<?> domain) {
            aggregate = domain.getAggregateIdentifier();
            type = domain.getType();
            sequence = domain.getSequenceNumber();
        }
        return new Document(AGGREGATE, aggregate)
                .append(TYPE, type)
                .append(SEQUENCE, sequence)
                .append(PAYLOAD, payload.getData())
                .append(TIMESTAMP, DateTimeUtils.formatInstant(event.getTimestamp()))
                .append(PAYLOAD_TYPE, payload.getType().getName())
                .append(REVISION, payload.getType().getRevision())
                .append(METADATA, metaData.getData())
                .append(EVENT_ID, event.getIdentifier());
    }

    private static String describe(List<Document> entries) {
        return entries.stream().map(entry -> entry.getString(AGGREGATE) + "#" + entry.getLong(SEQUENCE)).toList()
                .toString();
    }
}

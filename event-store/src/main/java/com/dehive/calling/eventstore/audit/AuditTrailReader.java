package com.dehive.calling.eventstore.audit;

import com.dehive.calling.eventstore.engine.EventDocuments;
import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.audit.AuditMetaData;
import com.dehive.calling.shared.audit.ChainVerificationView;
import com.dehive.calling.shared.audit.EventHash;
import com.dehive.calling.shared.audit.FindCallEventsQuery;
import com.dehive.calling.shared.audit.FindStoredEventsQuery;
import com.dehive.calling.shared.audit.StoredEventView;
import com.dehive.calling.shared.audit.StoredEventsPage;
import com.dehive.calling.shared.audit.VerifyCallEventsQuery;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the event store as auditors need it: raw, in order, verifiable. Nothing here goes through a projection:
 * the answers are what the store holds.
 */
@Component
public class AuditTrailReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MongoCollection<Document> events;

    public AuditTrailReader(MongoDatabase database) {
        this.events = database.getCollection(EventDocuments.COLLECTION);
    }

    @QueryHandler
    List<StoredEventView> handle(FindCallEventsQuery query) {
        List<StoredEventView> history = new ArrayList<>();
        for (Document commit : callCommits(query.callId().toString())) {
            EventDocuments.eventsOf(commit).forEach(event -> history.add(StoredEvents.view(commit, event)));
        }
        return history;
    }

    @QueryHandler
    ChainVerificationView handle(VerifyCallEventsQuery query) {
        String callId = query.callId().toString();
        List<Document> chain = new ArrayList<>();
        callCommits(callId).forEach(commit -> EventDocuments.eventsOf(commit).forEach(event ->
                chain.add(event.fields())));
        if (chain.isEmpty()) {
            throw new CallingException(ErrorCode.CALL_NOT_FOUND);
        }
        String previousHash = EventHash.GENESIS;
        long expectedSequence = 0;
        for (Document event : chain) {
            long sequence = EventDocuments.sequenceOf(event);
            String eventId = event.getString(EventDocuments.EVENT_ID);
            if (sequence != expectedSequence) {
                return broken(callId, expectedSequence, expectedSequence, null,
                        "event " + expectedSequence + " is missing from the store");
            }
            String problem = problemWith(event, sequence, previousHash);
            if (problem != null) {
                return broken(callId, expectedSequence, sequence, eventId, problem);
            }
            previousHash = storedHashOf(event);
            expectedSequence++;
        }
        return new ChainVerificationView(callId, true, chain.size(), null, null, null);
    }

    /**
     * Every event in stream order after a position. A position is taken only once the one before it is stored, so
     * a page never passes an event that a later page could still show: an export resumes exactly where it was.
     */
    @QueryHandler
    StoredEventsPage handle(FindStoredEventsQuery query) {
        long after = query.after() == null ? -1 : positionAfter(query.after());
        List<StoredEventView> page = new ArrayList<>();
        for (Document commit : events.find(Filters.gt(EventDocuments.LAST_POSITION, after))
                .sort(Sorts.ascending(EventDocuments.LAST_POSITION)).limit(query.limit())) {
            for (EventDocuments.StoredEvent event : EventDocuments.eventsOf(commit)) {
                if (event.position() > after && page.size() < query.limit()) {
                    page.add(StoredEvents.view(commit, event));
                }
            }
        }
        String next = page.isEmpty() ? query.after() : page.get(page.size() - 1).position();
        return new StoredEventsPage(page, next);
    }

    private long positionAfter(String encoded) {
        StoredEvents.After after;
        try {
            after = StoredEvents.After.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new CallingException(ErrorCode.VALIDATION_FAILED, "after: " + e.getMessage());
        }
        if (after instanceof StoredEvents.After.Position position) {
            return position.position();
        }
        StoredEvents.After.CallEvent older = (StoredEvents.After.CallEvent) after;
        for (Document commit : callCommits(older.callId())) {
            for (EventDocuments.StoredEvent event : EventDocuments.eventsOf(commit)) {
                if (event.data().getSequenceNumber() == older.sequence()) {
                    return event.position();
                }
            }
        }
        throw new CallingException(ErrorCode.VALIDATION_FAILED, "after: not a position this service handed out");
    }

    private List<Document> callCommits(String callId) {
        List<Document> commits = new ArrayList<>();
        events.find(Filters.eq(EventDocuments.AGGREGATE, callId)).sort(Sorts.ascending(EventDocuments.SEQUENCE))
                .forEach(commits::add);
        return commits;
    }

    /** What is wrong with this link of the chain, or null when it holds. */
    private static String problemWith(Document event, long sequence, String previousHash) {
        String metadataJson = StoredEvents.text(event, EventDocuments.METADATA);
        String payloadJson = StoredEvents.text(event, EventDocuments.PAYLOAD);
        if (metadataJson == null || payloadJson == null) {
            return "the event's payload or metadata is missing";
        }
        JsonNode metadata;
        try {
            metadata = JSON.readTree(metadataJson);
        } catch (JsonProcessingException e) {
            return "the event's metadata is not JSON";
        }
        if (!metadata.hasNonNull(AuditMetaData.HASH) || !metadata.hasNonNull(AuditMetaData.PREV_HASH)) {
            return "the event carries no hash";
        }
        if (!metadata.get(AuditMetaData.PREV_HASH).asText().equals(previousHash)) {
            return "prev_hash does not match the hash of the event before it";
        }
        String recomputed;
        try {
            recomputed = EventHash.of(event.getString(EventDocuments.PAYLOAD_TYPE), sequence,
                    event.getString(EventDocuments.TIMESTAMP), payloadJson, metadataJson);
        } catch (IllegalArgumentException e) {
            return "the event's payload is not JSON";
        }
        if (!recomputed.equals(metadata.get(AuditMetaData.HASH).asText())) {
            return "the event's content does not match its hash";
        }
        return null;
    }

    /** The hash an event claims; only called once {@link #problemWith} found its metadata sound. */
    private static String storedHashOf(Document event) {
        try {
            return JSON.readTree(StoredEvents.text(event, EventDocuments.METADATA)).get(AuditMetaData.HASH).asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata was checked to be JSON", e);
        }
    }

    private static ChainVerificationView broken(String callId, long checked, long sequence, String eventId,
                                                String problem) {
        return new ChainVerificationView(callId, false, (int) checked, sequence, eventId, problem);
    }
}

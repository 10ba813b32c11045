package com.dehive.calling.query.audit;

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
import org.axonframework.common.DateTimeUtils;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
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
    private final Duration exportSettle;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param exportSettle how old an event must be before the export hands it out: events are stamped when applied
     *                     and stored when their unit of work commits, so a younger event could still be overtaken
     *                     by one stamped earlier and stored later, which a resumed export would then miss.
     */
    public AuditTrailReader(MongoDatabase database,
                            @Value("${calling.audit.export-settle:2s}") Duration exportSettle) {
        this.events = database.getCollection(StoredEvents.COLLECTION);
        this.exportSettle = exportSettle;
    }

    @QueryHandler
    List<StoredEventView> handle(FindCallEventsQuery query) {
        List<StoredEventView> history = new ArrayList<>();
        callEvents(query.callId().toString()).forEach(event -> history.add(StoredEvents.view(event)));
        return history;
    }

    @QueryHandler
    ChainVerificationView handle(VerifyCallEventsQuery query) {
        String callId = query.callId().toString();
        List<Document> chain = callEvents(callId);
        if (chain.isEmpty()) {
            throw new CallingException(ErrorCode.CALL_NOT_FOUND);
        }
        String previousHash = EventHash.GENESIS;
        long expectedSequence = 0;
        for (Document event : chain) {
            long sequence = StoredEvents.sequenceOf(event);
            String eventId = event.getString(StoredEvents.EVENT_ID);
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

    @QueryHandler
    StoredEventsPage handle(FindStoredEventsQuery query) {
        String settledBefore = DateTimeUtils.formatInstant(clock.instant().minus(exportSettle));
        Bson settled = Filters.lte(StoredEvents.TIMESTAMP, settledBefore);
        Bson filter = settled;
        if (query.after() != null) {
            StoredEvents.Position after;
            try {
                after = StoredEvents.Position.decode(query.after());
            } catch (IllegalArgumentException e) {
                throw new CallingException(ErrorCode.VALIDATION_FAILED, "after: " + e.getMessage());
            }
            filter = Filters.and(settled, Filters.or(
                    Filters.gt(StoredEvents.TIMESTAMP, after.timestamp()),
                    Filters.and(Filters.eq(StoredEvents.TIMESTAMP, after.timestamp()),
                            Filters.gt(StoredEvents.AGGREGATE, after.aggregate())),
                    Filters.and(Filters.eq(StoredEvents.TIMESTAMP, after.timestamp()),
                            Filters.eq(StoredEvents.AGGREGATE, after.aggregate()),
                            Filters.gt(StoredEvents.SEQUENCE, after.sequence()))));
        }
        List<StoredEventView> page = new ArrayList<>();
        events.find(filter)
                .sort(Sorts.ascending(StoredEvents.TIMESTAMP, StoredEvents.AGGREGATE, StoredEvents.SEQUENCE))
                .limit(query.limit())
                .forEach(event -> page.add(StoredEvents.view(event)));
        String next = page.isEmpty() ? query.after() : page.get(page.size() - 1).position();
        return new StoredEventsPage(page, next);
    }

    private List<Document> callEvents(String callId) {
        List<Document> chain = new ArrayList<>();
        events.find(Filters.eq(StoredEvents.AGGREGATE, callId)).sort(Sorts.ascending(StoredEvents.SEQUENCE))
                .forEach(chain::add);
        return chain;
    }

    /** What is wrong with this link of the chain, or null when it holds. */
    private static String problemWith(Document event, long sequence, String previousHash) {
        String metadataJson = StoredEvents.text(event, StoredEvents.METADATA);
        String payloadJson = StoredEvents.text(event, StoredEvents.PAYLOAD);
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
            recomputed = EventHash.of(event.getString(StoredEvents.PAYLOAD_TYPE), sequence,
                    event.getString(StoredEvents.TIMESTAMP), payloadJson, metadataJson);
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
            return JSON.readTree(StoredEvents.text(event, StoredEvents.METADATA)).get(AuditMetaData.HASH).asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata was checked to be JSON", e);
        }
    }

    private static ChainVerificationView broken(String callId, long checked, long sequence, String eventId,
                                                String problem) {
        return new ChainVerificationView(callId, false, (int) checked, sequence, eventId, problem);
    }
}

package com.dehive.calling.eventstore.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.bson.Document;
import org.bson.types.Binary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.dehive.calling.eventstore.engine.EventDocuments.AGGREGATE;
import static com.dehive.calling.eventstore.engine.EventDocuments.LAST_POSITION;
import static com.dehive.calling.eventstore.engine.EventDocuments.LAST_SEQUENCE;
import static com.dehive.calling.eventstore.engine.EventDocuments.POSITION;
import static com.dehive.calling.eventstore.engine.EventDocuments.SEQUENCE;
import static com.dehive.calling.eventstore.engine.EventDocuments.TIMESTAMP;

/**
 * Gives the events stored before positions existed (axon-mongo's layout, tracked by time) their positions, and the
 * processors' time-based tokens the positions they stand for. Runs once, before the engine appends anything: the
 * first node of this version to start does it, under a lease in {@value #META}; the others wait for it.
 *
 * <p>Events get positions in the order axon-mongo's tracking read them (timestamp, aggregate, sequence), each
 * aggregate's in its own sequence order (two nodes' clocks could stamp a later event earlier). A processor's old
 * token covered every event older than its timestamp less axon-mongo's one-second look-back; it resumes just
 * before the first event younger than that, so it may handle a second of events again, which every projection
 * takes as it is (handlers are idempotent). A rebuild that was running starts again from the beginning.
 */
public final class LegacyPositions {

    static final String META = "event_store_meta";
    static final String DONE = "positions-assigned";
    static final String LEASE = "positions-lease";
    /** The look-back of axon-mongo's time-based tokens, which this service always used. */
    static final Duration OLD_LOOK_BACK = Duration.ofSeconds(1);
    private static final Duration LEASE_TIME = Duration.ofSeconds(30);
    private static final String TOKENS = "trackingtokens";
    private static final int DUPLICATE_KEY = 11000;
    private static final Logger log = LoggerFactory.getLogger(LegacyPositions.class);

    private final MongoDatabase database;
    private final MongoCollection<Document> events;
    private final MongoCollection<Document> meta;
    private final Serializer tokenSerializer;
    private final String nodeId;
    private final Clock clock;

    public LegacyPositions(MongoDatabase database, Serializer tokenSerializer, String nodeId, Clock clock) {
        this.database = database;
        this.events = database.getCollection(EventDocuments.COLLECTION);
        this.meta = database.getCollection(META);
        this.tokenSerializer = tokenSerializer;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Returns once every stored event has a position and every token is a position. */
    public void assign() {
        while (meta.find(Filters.eq("_id", DONE)).first() == null) {
            if (takeLease()) {
                try {
                    positionEvents();
                    convertTokens();
                    // an upsert: a node that waited for the lease may find nothing left to do and say so again
                    meta.updateOne(Filters.eq("_id", DONE), Updates.combine(
                            Updates.setOnInsert("at", Date.from(clock.instant())), Updates.setOnInsert("by", nodeId)),
                            new UpdateOptions().upsert(true));
                } finally {
                    meta.deleteOne(Filters.and(Filters.eq("_id", LEASE), Filters.eq("owner", nodeId)));
                }
                return;
            }
            log.info("event=waiting_for_legacy_positions reason=another_node_assigns_them");
            sleep(Duration.ofSeconds(1));
        }
    }

    private boolean takeLease() {
        Date now = Date.from(clock.instant());
        Date until = Date.from(clock.instant().plus(LEASE_TIME));
        try {
            return meta.findOneAndUpdate(
                    Filters.and(Filters.eq("_id", LEASE), Filters.or(Filters.lt("until", now),
                            Filters.eq("owner", nodeId))),
                    Updates.combine(Updates.set("owner", nodeId), Updates.set("until", until)),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)) != null;
        } catch (MongoException e) {
            // held by another node: the upsert lost the race to insert the lease (a write or a command error)
            if (e.getCode() == DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private void renewLease() {
        meta.updateOne(Filters.and(Filters.eq("_id", LEASE), Filters.eq("owner", nodeId)),
                Updates.set("until", Date.from(clock.instant().plus(LEASE_TIME))));
    }

    private record Legacy(Object id, String aggregate, long sequence, String timestamp) {
    }

    private void positionEvents() {
        List<Legacy> legacy = new ArrayList<>();
        events.find(Filters.exists(POSITION, false))
                .projection(Projections.include("_id", AGGREGATE, SEQUENCE, TIMESTAMP))
                .forEach(event -> legacy.add(new Legacy(event.get("_id"), event.getString(AGGREGATE),
                        EventDocuments.sequenceOf(event), event.getString(TIMESTAMP))));
        if (legacy.isEmpty()) {
            return;
        }
        legacy.sort(Comparator.comparing(Legacy::timestamp).thenComparing(Legacy::aggregate)
                .thenComparingLong(Legacy::sequence));
        List<Legacy> ordered = inAggregateOrder(legacy);
        Document last = events.find(Filters.gte(LAST_POSITION, 0L)).sort(Sorts.descending(LAST_POSITION)).limit(1)
                .first();
        long next = last == null ? 0 : last.get(LAST_POSITION, Number.class).longValue() + 1;
        log.info("event=legacy_positions_started events={} first_position={}", ordered.size(), next);
        for (Legacy event : ordered) {
            events.updateOne(Filters.and(Filters.eq("_id", event.id()), Filters.exists(POSITION, false)),
                    Updates.combine(Updates.set(POSITION, next), Updates.set(LAST_POSITION, next),
                            Updates.set(LAST_SEQUENCE, event.sequence())));
            next++;
            if (next % 10_000 == 0) {
                renewLease();
            }
        }
        log.info("event=legacy_positions_assigned events={}", ordered.size());
    }

    /**
     * The stream order, with each aggregate's events moved into sequence order among the places its events take:
     * a later event of an aggregate never gets an earlier position than an earlier one.
     */
    private static List<Legacy> inAggregateOrder(List<Legacy> byTime) {
        Map<String, List<Legacy>> byAggregate = new HashMap<>();
        for (Legacy event : byTime) {
            byAggregate.computeIfAbsent(event.aggregate(), key -> new ArrayList<>()).add(event);
        }
        byAggregate.values().forEach(own -> own.sort(Comparator.comparingLong(Legacy::sequence)));
        Map<String, Integer> taken = new HashMap<>();
        List<Legacy> ordered = new ArrayList<>(byTime.size());
        for (Legacy slot : byTime) {
            int next = taken.merge(slot.aggregate(), 1, Integer::sum) - 1;
            ordered.add(byAggregate.get(slot.aggregate()).get(next));
        }
        return ordered;
    }

    /** Rewrites each time-based token as the position it stands for; a running rebuild starts over. */
    private void convertTokens() {
        MongoCollection<Document> tokens = database.getCollection(TOKENS);
        for (Document entry : tokens.find()) {
            String type = entry.getString("tokenType");
            if (type == null || type.equals(GlobalSequenceTrackingToken.class.getName())) {
                continue;
            }
            TrackingToken converted = type.equals(ReplayToken.class.getName())
                    ? ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(lastPosition()), null)
                    : new GlobalSequenceTrackingToken(positionBefore(timestampOf(entry)));
            SerializedObject<byte[]> serialized = tokenSerializer.serialize(converted, byte[].class);
            tokens.updateOne(Filters.eq("_id", entry.get("_id")), Updates.combine(
                    Updates.set("token", new Binary(serialized.getData())),
                    Updates.set("tokenType", serialized.getType().getName())));
            log.info("event=legacy_token_converted processor={} segment={} from={} to={}",
                    entry.getString("processorName"), entry.get("segment"), type, converted);
        }
    }

    private static Instant timestampOf(Document entry) {
        Object token = entry.get("token");
        byte[] json = token instanceof Binary binary ? binary.getData() : String.valueOf(token).getBytes();
        try {
            JsonNode timestamp = new ObjectMapper().readTree(json).get("timestamp");
            if (timestamp == null || timestamp.isNull()) {
                return Instant.EPOCH;
            }
            return instantOf(timestamp);
        } catch (IOException | RuntimeException e) {
            log.warn("event=legacy_token_unreadable processor={} action=replay_from_start",
                    entry.getString("processorName"));
            return Instant.EPOCH;
        }
    }

    /** An Instant as Jackson writes it: ISO text, decimal seconds, epoch milliseconds, or its two fields. */
    private static Instant instantOf(JsonNode timestamp) {
        if (timestamp.isTextual()) {
            return Instant.parse(timestamp.asText());
        }
        if (timestamp.isObject()) {
            return Instant.ofEpochSecond(timestamp.path("epochSecond").asLong(), timestamp.path("nano").asLong());
        }
        if (timestamp.isFloatingPointNumber() || timestamp.isBigDecimal()) {
            java.math.BigDecimal seconds = timestamp.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
        }
        long value = timestamp.asLong();
        // a number this large counts milliseconds; a smaller one, seconds
        return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /** The last position whose event the old token surely covered: before the first event inside its look-back. */
    private long positionBefore(Instant tokenTimestamp) {
        String lookBackStart = org.axonframework.common.DateTimeUtils.formatInstant(
                tokenTimestamp.minus(OLD_LOOK_BACK));
        Document first = events.find(Filters.gte(TIMESTAMP, lookBackStart)).sort(Sorts.ascending(LAST_POSITION))
                .limit(1).first();
        return first == null ? lastPosition() : first.get(POSITION, Number.class).longValue() - 1;
    }

    private long lastPosition() {
        Document last = events.find(Filters.gte(LAST_POSITION, 0L)).sort(Sorts.descending(LAST_POSITION)).limit(1)
                .first();
        return last == null ? -1 : last.get(LAST_POSITION, Number.class).longValue();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another node to assign positions", e);
        }
    }
}

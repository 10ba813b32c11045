package com.dehive.calling.query.analytics;

import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.query.DailyCallStatsView;
import com.dehive.calling.shared.query.FindDailyCallStatsQuery;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Call statistics. Keeps one fact sheet per call (its day, outcome, time to answer, talk time), each handler
 * setting fields to what its event says, so replays and redeliveries give the same figures; days are summed when
 * asked.
 */
@Component
@ProcessingGroup(CallAnalyticsProjection.PROCESSING_GROUP)
public class CallAnalyticsProjection {

    public static final String PROCESSING_GROUP = "call-analytics";
    static final String COLLECTION = "call_analytics";

    private final MongoCollection<Document> facts;

    public CallAnalyticsProjection(MongoDatabase database) {
        this.facts = database.getCollection(COLLECTION);
        facts.createIndex(Indexes.ascending("day")); // the daily figures read a range of days
    }

    @EventHandler
    void on(CallStartedEvent event) {
        Document fact = new Document("_id", event.callId().toString())
                .append("day", LocalDate.ofInstant(event.createdAt(), ZoneOffset.UTC).toString())
                .append("started_at", event.createdAt().toEpochMilli());
        facts.replaceOne(Filters.eq("_id", fact.get("_id")), fact, new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(CallAcceptedEvent event) {
        Document fact = facts.find(Filters.eq("_id", event.callId().toString())).first();
        long startedAt = fact == null ? event.acceptedAt().toEpochMilli() : fact.getLong("started_at");
        facts.updateOne(Filters.eq("_id", event.callId().toString()), Updates.combine(
                Updates.set("answered", true),
                Updates.set("answer_millis", event.acceptedAt().toEpochMilli() - startedAt)));
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        facts.updateOne(Filters.eq("_id", event.callId().toString()),
                Updates.set("outcome", EndReason.USER_DECLINED.wireName()));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        var updates = new ArrayList<>(List.of(Updates.set("outcome", event.reason().wireName())));
        if (event.durationSeconds() != null) {
            updates.add(Updates.set("talk_seconds", event.durationSeconds()));
        }
        facts.updateOne(Filters.eq("_id", event.callId().toString()), Updates.combine(updates));
    }

    @ResetHandler
    void reset() {
        facts.deleteMany(new Document());
    }

    @QueryHandler
    List<DailyCallStatsView> handle(FindDailyCallStatsQuery query) {
        Map<String, DayTally> days = new TreeMap<>();
        for (LocalDate day = query.from(); !day.isAfter(query.to()); day = day.plusDays(1)) {
            days.put(day.toString(), new DayTally());
        }
        facts.find(Filters.and(Filters.gte("day", query.from().toString()), Filters.lte("day", query.to().toString())))
                .forEach(fact -> days.get(fact.getString("day")).add(fact));
        List<DailyCallStatsView> stats = new ArrayList<>();
        days.forEach((day, tally) -> stats.add(tally.view(LocalDate.parse(day))));
        return stats;
    }

    /** The figures of one day, summed from its calls' fact sheets. */
    private static final class DayTally {
        private long started;
        private long answered;
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final List<Long> talkSeconds = new ArrayList<>();
        private long answerMillisTotal;

        void add(Document fact) {
            started++;
            if (fact.getBoolean("answered", false)) {
                answered++;
                answerMillisTotal += fact.getLong("answer_millis");
            }
            String outcome = fact.getString("outcome");
            if (outcome != null) {
                outcomes.merge(outcome, 1L, Long::sum);
            }
            Number talk = fact.get("talk_seconds", Number.class);
            if (talk != null) {
                talkSeconds.add(talk.longValue());
            }
        }

        DailyCallStatsView view(LocalDate date) {
            long busy = count(EndReason.USER_BUSY);
            long rang = started - busy;
            talkSeconds.sort(Long::compare);
            Double meanTalk = talkSeconds.isEmpty() ? null
                    : round(talkSeconds.stream().mapToLong(Long::longValue).average().orElseThrow());
            Long p95Talk = talkSeconds.isEmpty() ? null
                    : talkSeconds.get((int) Math.ceil(0.95 * talkSeconds.size()) - 1);
            return new DailyCallStatsView(date, started, answered, count(EndReason.USER_DECLINED),
                    count(EndReason.TIMEOUT), busy, count(EndReason.CANCELLED), count(EndReason.CONNECTION_ERROR),
                    rang == 0 ? null : round((double) answered / rang), meanTalk, p95Talk,
                    answered == 0 ? null : round(answerMillisTotal / (double) answered / 1000.0));
        }

        private long count(EndReason reason) {
            return outcomes.getOrDefault(reason.wireName(), 0L);
        }

        private static double round(double value) {
            return Math.round(value * 10_000) / 10_000.0;
        }
    }
}

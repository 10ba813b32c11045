package com.dehive.calling.query.analytics;

import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.query.DailyCallStatsView;
import com.dehive.calling.shared.query.FindDailyCallStatsQuery;
import com.dehive.calling.shared.query.Processors;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Call statistics. Keeps one {@link CallFacts} per call, each handler setting fields to what its event says, so
 * replays and redeliveries give the same figures; a call's start replaces its facts, which is how a rebuild
 * rewrites them in place. Days are summed when asked.
 */
@Component
@ProcessingGroup(CallAnalyticsProjection.PROCESSING_GROUP)
public class CallAnalyticsProjection {

    public static final String PROCESSING_GROUP = Processors.CALL_ANALYTICS;

    private final MongoCollection<CallFacts> facts;

    public CallAnalyticsProjection(MongoDatabase database) {
        this.facts = database.getCollection(CallFacts.COLLECTION, CallFacts.class);
        facts.createIndex(Indexes.ascending(CallFacts.DAY)); // the daily figures read a range of days
    }

    @EventHandler
    void on(CallStartedEvent event) {
        CallFacts started = new CallFacts(event.callId().toString(),
                LocalDate.ofInstant(event.createdAt(), ZoneOffset.UTC).toString(), event.createdAt().toEpochMilli(),
                null, null, null, null);
        facts.replaceOne(byId(event.callId().toString()), started, new ReplaceOptions().upsert(true));
    }

    @EventHandler
    void on(CallAcceptedEvent event) {
        CallFacts started = facts.find(byId(event.callId().toString())).first();
        long startedAt = started == null ? event.acceptedAt().toEpochMilli() : started.startedAt();
        facts.updateOne(byId(event.callId().toString()), Updates.combine(
                Updates.set(CallFacts.ANSWERED, true),
                Updates.set(CallFacts.ANSWER_MILLIS, event.acceptedAt().toEpochMilli() - startedAt)));
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        facts.updateOne(byId(event.callId().toString()),
                Updates.set(CallFacts.OUTCOME, EndReason.USER_DECLINED.wireName()));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        var updates = new ArrayList<>(List.of(Updates.set(CallFacts.OUTCOME, event.reason().wireName())));
        if (event.durationSeconds() != null) {
            updates.add(Updates.set(CallFacts.TALK_SECONDS, event.durationSeconds()));
        }
        facts.updateOne(byId(event.callId().toString()), Updates.combine(updates));
    }

    @QueryHandler
    List<DailyCallStatsView> handle(FindDailyCallStatsQuery query) {
        Map<String, DayTally> days = new TreeMap<>();
        for (LocalDate day = query.from(); !day.isAfter(query.to()); day = day.plusDays(1)) {
            days.put(day.toString(), new DayTally());
        }
        facts.find(Filters.and(Filters.gte(CallFacts.DAY, query.from().toString()),
                        Filters.lte(CallFacts.DAY, query.to().toString())))
                .forEach(fact -> days.get(fact.day()).add(fact));
        List<DailyCallStatsView> stats = new ArrayList<>();
        days.forEach((day, tally) -> stats.add(tally.view(LocalDate.parse(day))));
        return stats;
    }

    private static Bson byId(String callId) {
        return Filters.eq("_id", callId);
    }

    /** The figures of one day, summed from its calls' fact sheets. */
    private static final class DayTally {
        private long started;
        private long answered;
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final List<Long> talkSeconds = new ArrayList<>();
        private long answerMillisTotal;

        void add(CallFacts fact) {
            started++;
            if (fact.wasAnswered()) {
                answered++;
                answerMillisTotal += fact.answerMillis();
            }
            if (fact.outcome() != null) {
                outcomes.merge(fact.outcome(), 1L, Long::sum);
            }
            if (fact.talkSeconds() != null) {
                talkSeconds.add(fact.talkSeconds());
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

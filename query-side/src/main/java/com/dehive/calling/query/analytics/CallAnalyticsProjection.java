package com.dehive.calling.query.analytics;

import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallQualitySampledEvent;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.call.ParticipantMediaConnectedEvent;
import com.dehive.calling.shared.call.ParticipantMediaFailedEvent;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Call statistics. Keeps one {@link CallFacts} per call, each handler setting fields to what its event says, so
 * replays and redeliveries give the same figures; a call's start replaces its facts, which is how a rebuild
 * rewrites them in place. A participant's media report sets that participant's entry (their latest quality sample
 * replaces the one before). Days are summed when asked.
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
                null, null, null, null, Map.of(), Map.of(), Map.of());
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

    @EventHandler
    void on(ParticipantMediaConnectedEvent event) {
        facts.updateOne(byId(event.callId().toString()), Updates.set(
                CallFacts.CONNECTIONS + "." + event.participant(),
                new CallFacts.Connection(event.timeToConnectMs(), event.localCandidateType().wireName(),
                        event.remoteCandidateType().wireName(), event.protocol().wireName(), event.relayed())));
    }

    @EventHandler
    void on(ParticipantMediaFailedEvent event) {
        facts.updateOne(byId(event.callId().toString()), Updates.set(
                CallFacts.FAILURES + "." + event.participant(),
                new CallFacts.Failure(event.iceState().wireName(),
                        event.reason() == null ? null : event.reason().wireName())));
    }

    @EventHandler
    void on(CallQualitySampledEvent event) {
        facts.updateOne(byId(event.callId().toString()), Updates.set(
                CallFacts.QUALITY + "." + event.participant(),
                new CallFacts.Quality(event.rttMs(), event.jitterMs(), event.audioLossPct(), event.videoLossPct(),
                        event.avgBitrateKbps(), event.freezeCount(), event.closing())));
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
        /** A media failure whose client gave no reason. */
        private static final String UNSPECIFIED = "unspecified";

        private long started;
        private long answered;
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final List<Long> talkSeconds = new ArrayList<>();
        private long answerMillisTotal;
        private long connected;
        private long relayed;
        private final List<Long> connectMillis = new ArrayList<>();
        private long mediaFailed;
        private final Map<String, Long> failureReasons = new TreeMap<>();
        private final List<Double> rttMs = new ArrayList<>();
        private final List<Double> audioLossPct = new ArrayList<>();
        private final List<Double> videoLossPct = new ArrayList<>();

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
            addMedia(fact);
        }

        private void addMedia(CallFacts fact) {
            Collection<CallFacts.Connection> connections = fact.connectionsOrNone().values();
            if (fact.wasAnswered() && !connections.isEmpty()) {
                connected++;
                // media flows both ways once the later of the two sides is up
                connectMillis.add(connections.stream().mapToLong(CallFacts.Connection::timeToConnectMs).max()
                        .orElseThrow());
                if (connections.stream().anyMatch(CallFacts.Connection::relayed)) {
                    relayed++;
                }
            }
            Collection<CallFacts.Failure> failures = fact.failuresOrNone().values();
            if (!failures.isEmpty()) {
                mediaFailed++;
                failures.stream().map(failure -> failure.reason() == null ? UNSPECIFIED : failure.reason())
                        .distinct().forEach(reason -> failureReasons.merge(reason, 1L, Long::sum));
            }
            for (CallFacts.Quality sample : fact.qualityOrNone().values()) {
                rttMs.add(sample.rttMs());
                if (sample.audioLossPct() != null) {
                    audioLossPct.add(sample.audioLossPct());
                }
                if (sample.videoLossPct() != null) {
                    videoLossPct.add(sample.videoLossPct());
                }
            }
        }

        DailyCallStatsView view(LocalDate date) {
            long busy = count(EndReason.USER_BUSY);
            long rang = started - busy;
            Double meanTalk = talkSeconds.isEmpty() ? null
                    : round(talkSeconds.stream().mapToLong(Long::longValue).average().orElseThrow());
            Double medianRtt = nearestRank(rttMs, 0.5);
            Double medianAudioLoss = nearestRank(audioLossPct, 0.5);
            Double medianVideoLoss = nearestRank(videoLossPct, 0.5);
            return new DailyCallStatsView(date, started, answered, count(EndReason.USER_DECLINED),
                    count(EndReason.TIMEOUT), busy, count(EndReason.CANCELLED), count(EndReason.CONNECTION_ERROR),
                    rang == 0 ? null : round((double) answered / rang), meanTalk, nearestRank(talkSeconds, 0.95),
                    answered == 0 ? null : round(answerMillisTotal / (double) answered / 1000.0),
                    connected, answered == 0 ? null : round((double) connected / answered),
                    nearestRank(connectMillis, 0.5), nearestRank(connectMillis, 0.95),
                    relayed, connected == 0 ? null : round((double) relayed / connected),
                    mediaFailed, failureReasons,
                    medianRtt == null ? null : round(medianRtt),
                    medianAudioLoss == null ? null : round(medianAudioLoss),
                    medianVideoLoss == null ? null : round(medianVideoLoss));
        }

        private long count(EndReason reason) {
            return outcomes.getOrDefault(reason.wireName(), 0L);
        }

        /** The smallest observed value with at least that share of the values at or below it; null for none. */
        private static <T extends Comparable<T>> T nearestRank(List<T> values, double share) {
            if (values.isEmpty()) {
                return null;
            }
            List<T> sorted = values.stream().sorted().toList();
            return sorted.get((int) Math.ceil(share * sorted.size()) - 1);
        }

        private static double round(double value) {
            return Math.round(value * 10_000) / 10_000.0;
        }
    }
}

package com.dehive.calling.shared.query;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.LocalDate;
import java.util.Map;

/**
 * One UTC day of calls, counted by the day they started. {@code answerRate} is answered / (started - busy): a busy
 * callee never heard the call ring. Talk time counts connected calls that ended; null when there were none.
 *
 * <p>From the participants' media reports: {@code connected} counts answered calls whose media connected (either
 * participant reported it), {@code connectRate} is connected / answered. A connected call's time to connect is the
 * longer of its participants'; {@code relayed} counts connected calls relayed through TURN (a relay candidate on
 * either end of either participant's pair), {@code relayShare} is relayed / connected. {@code mediaFailed} counts
 * calls with a reported media failure, {@code mediaFailures} those calls by reason ({@code unspecified} when the
 * client gave none; a call whose participants gave different reasons counts under each). The quality medians are
 * over each participant's latest sample (the closing one when it came). Percentiles and medians are nearest-rank
 * (an observed value); each is null when nothing was observed.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DailyCallStatsView(LocalDate date, long started, long answered, long declined, long missed, long busy,
                                 long cancelled, long disconnected, Double answerRate, Double meanTalkSeconds,
                                 Long p95TalkSeconds, Double meanSecondsToAnswer,
                                 long connected, Double connectRate, Long timeToConnectP50Ms,
                                 Long timeToConnectP95Ms, long relayed, Double relayShare, long mediaFailed,
                                 Map<String, Long> mediaFailures, Double medianRttMs, Double medianAudioLossPct,
                                 Double medianVideoLossPct) {
}

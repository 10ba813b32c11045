package com.dehive.calling.service.processing;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.deadletter.DeadLetterRetryView;
import com.dehive.calling.shared.deadletter.DeadLetterView;
import com.dehive.calling.shared.deadletter.FindDeadLettersQuery;
import com.dehive.calling.shared.deadletter.RetryDeadLettersCommand;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.queryhandling.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Lazy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The dead-letter queues of the processors: events whose handler still failed after its retries, each kept with
 * the rest of its call's events behind it, so that nothing is skipped and nothing overtakes. They are tried again
 * on their own with growing pauses ({@link #retryDue}), and at once by an admin; while any is left, health is
 * {@code DEGRADED} and {@code calling.dead_letters} says how many.
 */
public class DeadLetters implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "events wait in a dead-letter queue");
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final String RETRIES = "retries";

    private final EventProcessingConfiguration processing;
    private final List<String> processors;
    private final Duration firstPause;
    private final Duration longestPause;
    private final Clock clock;

    DeadLetters(@Lazy EventProcessingConfiguration processing, List<String> processors, Duration firstPause,
                Duration longestPause, Clock clock, MeterRegistry meters) {
        this.processing = processing;
        this.processors = List.copyOf(processors);
        this.firstPause = firstPause;
        this.longestPause = longestPause;
        this.clock = clock;
        for (String processor : processors) {
            Gauge.builder("calling.dead_letters", () -> queue(processor).map(SequencedDeadLetterQueue::size)
                            .orElse(0L))
                    .description("events a processor could not handle, waiting in its dead-letter queue")
                    .tag("processor", processor).register(meters);
        }
    }

    /** Enqueues a failed event; one that fails again on a retry has its retries counted. */
    static EnqueuePolicy<EventMessage<?>> countingRetries() {
        return (letter, cause) -> {
            boolean retried = letter.diagnostics().containsKey(RETRIES);
            long retries = retried ? retriesOf(letter) + 1 : 0;
            return Decisions.enqueue(cause, failed -> failed.diagnostics().and(RETRIES, retries));
        };
    }

    @QueryHandler
    public List<DeadLetterView> handle(FindDeadLettersQuery query) {
        List<DeadLetterView> letters = new ArrayList<>();
        for (String processor : query.processor() == null ? processors : List.of(known(query.processor()))) {
            queue(processor).ifPresent(queue -> queue.deadLetters().forEach(sequence -> {
                long index = 0;
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    letters.add(view(processor, letter, index++));
                }
            }));
        }
        return letters;
    }

    @CommandHandler
    public DeadLetterRetryView handle(RetryDeadLettersCommand command) {
        String processor = known(command.processor());
        int handled = retry(processor, letter -> true);
        long left = queue(processor).map(SequencedDeadLetterQueue::size).orElse(0L);
        log.info("event=dead_letters_retried processor={} sequences_handled={} letters_left={}", processor, handled,
                left);
        return new DeadLetterRetryView(processor, handled, left);
    }

    /** Tries again every dead letter whose pause is over: the first after {@code firstPause}, doubling each time. */
    void retryDue() {
        Instant now = clock.instant();
        for (String processor : processors) {
            try {
                retry(processor, letter -> !letter.lastTouched().plus(pauseAfter(retriesOf(letter))).isAfter(now));
            } catch (RuntimeException e) {
                log.warn("event=dead_letter_retry_failed processor={} error={}", processor, e.toString());
            }
        }
    }

    @Override
    public Health health() {
        Map<String, Long> waiting = new LinkedHashMap<>();
        for (String processor : processors) {
            queue(processor).map(SequencedDeadLetterQueue::size).filter(size -> size > 0)
                    .ifPresent(size -> waiting.put(processor, size));
        }
        return waiting.isEmpty() ? Health.up().build() : Health.status(DEGRADED).withDetails(Map.of(
                "dead_letters", waiting, "see", "GET /api/admin/dead-letters")).build();
    }

    private int retry(String processor, Predicate<DeadLetter<? extends EventMessage<?>>> due) {
        Optional<SequencedDeadLetterProcessor<EventMessage<?>>> letters =
                processing.sequencedDeadLetterProcessor(processor);
        long sequences = queue(processor).map(SequencedDeadLetterQueue::amountOfSequences).orElse(0L);
        int handled = 0;
        for (long i = 0; i < sequences && letters.isPresent(); i++) {
            if (letters.get().process(due)) {
                handled++;
            }
        }
        return handled;
    }

    private Duration pauseAfter(long retries) {
        Duration pause = firstPause.multipliedBy(1L << Math.min(retries, 20));
        return pause.compareTo(longestPause) > 0 ? longestPause : pause;
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue(String processor) {
        return processing.deadLetterQueue(processor);
    }

    private String known(String processor) {
        if (!processors.contains(processor)) {
            throw new CallingException(ErrorCode.NOT_FOUND,
                    "No processor named " + processor + "; processors: " + String.join(", ", processors));
        }
        return processor;
    }

    private static long retriesOf(DeadLetter<?> letter) {
        Object retries = letter.diagnostics().get(RETRIES);
        return retries instanceof Number number ? number.longValue() : 0;
    }

    private static DeadLetterView view(String processor, DeadLetter<? extends EventMessage<?>> letter, long index) {
        EventMessage<?> event = letter.message();
        Long position = event instanceof TrackedEventMessage<?> tracked
                ? tracked.trackingToken().position().stream().boxed().findFirst().orElse(null) : null;
        String cause = letter.cause().map(c -> c.type() + ": " + c.message()).orElse(null);
        // letters queue per call: the sequencing policy keys them by the call's id
        String callId = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier()
                : event.getIdentifier();
        return new DeadLetterView(processor, callId, index,
                event.getIdentifier(), event.getPayloadType().getSimpleName(), position, cause, letter.enqueuedAt(),
                letter.lastTouched(), retriesOf(letter));
    }
}

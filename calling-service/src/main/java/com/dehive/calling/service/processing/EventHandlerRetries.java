package com.dehive.calling.service.processing;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * An event handler that throws is tried again a few times, with growing pauses, before the failure reaches its
 * processor's dead-letter queue: most failures (a store that is briefly unreachable, a write conflict) are over in
 * a moment, and an event that went through on a retry never shows as a dead letter. Axon's dead-lettering invoker
 * catches the failure of the handler itself, so the retries wrap each handler (an enhancer), not the processor.
 */
class EventHandlerRetries implements HandlerEnhancerDefinition {

    private static final Logger log = LoggerFactory.getLogger(EventHandlerRetries.class);

    private final List<Duration> pauses;

    EventHandlerRetries(List<Duration> pauses) {
        this.pauses = List.copyOf(pauses);
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (original.annotationAttributes(EventHandler.class).isEmpty()) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                for (int attempt = 0; ; attempt++) {
                    try {
                        return super.handle(message, target);
                    } catch (Exception e) {
                        if (attempt == pauses.size()) {
                            throw e;
                        }
                        Duration pause = pauses.get(attempt);
                        log.warn("event=event_handler_failed handler={} event={} attempt={} retry_in_ms={} error={}",
                                target == null ? "?" : target.getClass().getSimpleName(),
                                message.getPayloadType().getSimpleName(), attempt + 1, pause.toMillis(),
                                e.toString());
                        Thread.sleep(pause.toMillis());
                    }
                }
            }
        };
    }
}

package com.dehive.calling.service.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code calling.projection.lag}: how long after an event was appended each processor (projections, the socket
 * notifier) handles it. Events handled during a rebuild are not counted: they are old on purpose.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionLagConfig {

    @Bean
    ConfigurerModule projectionLag(MeterRegistry meters) {
        return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor(
                (config, processorName) -> new LagInterceptor(Timer.builder("calling.projection.lag")
                        .description("event appended to event handled, per processor")
                        .tag("processor", processorName)
                        .publishPercentiles(0.5, 0.99)
                        .register(meters)));
    }

    private record LagInterceptor(Timer lag) implements MessageHandlerInterceptor<EventMessage<?>> {

        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            EventMessage<?> event = unitOfWork.getMessage();
            if (!(event instanceof TrackedEventMessage<?> tracked && ReplayToken.isReplay(tracked.trackingToken()))) {
                lag.record(Duration.between(event.getTimestamp(), Instant.now()));
            }
            return chain.proceed();
        }
    }
}

package com.dehive.calling.service.bus;

import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commands run on a pool of their own, not on the thread that sends them. Socket events are handled on Netty's
 * I/O threads, and a command waits on the store several times (the aggregate's events, the append, the deadline,
 * the commit): run there, it held up every other socket of that thread. Built as Axon's auto-configuration builds
 * its command bus, with an executor.
 */
@Configuration(proxyBeanMethods = false)
class CommandBusConfig {

    @Bean(destroyMethod = "shutdown")
    CommandBus commandBus(TransactionManager transactionManager, org.axonframework.config.Configuration axon,
                          DuplicateCommandHandlerResolver duplicates,
                          @Value("${calling.commands.threads:16}") int threads) {
        AsynchronousCommandBus bus = AsynchronousCommandBus.builder()
                .executor(commandThreads(threads))
                .transactionManager(transactionManager)
                .duplicateCommandHandlerResolver(duplicates)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return bus;
    }

    private static ExecutorService commandThreads(int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "commands-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}

package com.dehive.calling.gateway.call;

import com.dehive.calling.shared.call.CallCommand;
import com.dehive.calling.shared.call.CallReport;
import com.dehive.calling.shared.query.AwaitProjectionQuery;
import com.dehive.calling.shared.query.Processors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;

/**
 * Sends a call command for either edge, and completes once the call history shows what it did: the client's next
 * read ({@code /api/calls/active}, the history, the call) sees its own write, on whichever node it asks. The wait
 * is bounded (CALLING_READ_YOUR_WRITES_BOUND); a call history that is slower than that delays no answer longer.
 */
@Component
public class CallCommands {

    private final CommandGateway commands;
    private final QueryGateway queries;

    public CallCommands(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /**
     * The command's result, once the call history has every event stored when the command completed. A media report
     * changes nothing the call's views show, so its answer does not wait for them.
     */
    public <R> CompletableFuture<R> send(CallCommand command, MetaData metaData) {
        if (command instanceof CallReport) {
            return commands.send(command, metaData);
        }
        return commands.<R>send(command, metaData).thenCompose(result -> queries.query(
                        new AwaitProjectionQuery(Processors.CALL_HISTORY, command.callId().toString(), null),
                        Boolean.class)
                .thenApply(caughtUp -> result));
    }
}

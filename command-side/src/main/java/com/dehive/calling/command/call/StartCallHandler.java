package com.dehive.calling.command.call;

import com.dehive.calling.command.line.CallLines;
import com.dehive.calling.shared.call.StartCallCommand;
import com.dehive.calling.shared.call.StartCallResult;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Creates a {@link Call}. A constructor command handler could only answer with the new id; a start must tell the
 * caller whether the call rings or already ended because the callee was busy.
 */
@Component
public class StartCallHandler {

    private final Repository<Call> calls;
    private final CallLines lines;
    private final CallTimeouts timeouts;

    public StartCallHandler(Repository<Call> calls, CallLines lines, CallTimeouts timeouts) {
        this.calls = calls;
        this.lines = lines;
        this.timeouts = timeouts;
    }

    @CommandHandler
    public StartCallResult handle(StartCallCommand command, DeadlineManager deadlines) throws Exception {
        Aggregate<Call> call = calls.newInstance(() -> new Call(command, lines));
        call.execute(started -> started.armRingTimeout(deadlines, timeouts.ringTimeout()));
        return call.invoke(Call::startResult);
    }
}

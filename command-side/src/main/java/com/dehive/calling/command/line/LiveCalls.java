package com.dehive.calling.command.line;

import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.query.FindLiveCallOfUserQuery;
import com.dehive.calling.shared.query.FindLiveCallsQuery;
import com.dehive.calling.shared.query.LiveCallView;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** A command-side lookup: the live calls, from the lines they hold (not from a projection that may lag). */
@Component
class LiveCalls {

    private final CallLines lines;

    LiveCalls(CallLines lines) {
        this.lines = lines;
    }

    @QueryHandler
    Optional<LiveCallView> handle(FindLiveCallOfUserQuery query) {
        return Optional.ofNullable(lines.holder(query.user()))
                .map(call -> new LiveCallView(call.toString(), List.of(query.user().toString())));
    }

    @QueryHandler
    List<LiveCallView> handle(FindLiveCallsQuery query) {
        return lines.all().entrySet().stream()
                .map(call -> new LiveCallView(call.getKey().toString(),
                        call.getValue().stream().map(UserId::toString).toList()))
                .toList();
    }
}

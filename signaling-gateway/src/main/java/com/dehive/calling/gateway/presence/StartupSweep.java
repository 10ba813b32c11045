package com.dehive.calling.gateway.presence;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.call.ReportParticipantGoneCommand;
import com.dehive.calling.shared.query.FindLiveCallsQuery;
import com.dehive.calling.shared.query.LiveCallView;
import io.lettuce.core.RedisClient;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * After a restart of a single node, every socket of the calls that were live is gone: each participant is reported
 * gone, so that those who reconnect within the grace period go on talking and the calls of those who don't end
 * with connection_error instead of keeping their users busy forever. (Ring timeouts need nothing: they are
 * persistent deadlines.) With Redis, presence decides instead: another node may still hold those sockets, and
 * {@link com.dehive.calling.gateway.cluster.RedisPresence} reports gone the users of a node that died (this node's
 * previous life included) who have no socket left anywhere.
 */
@Component
class StartupSweep {

    private static final Logger log = LoggerFactory.getLogger(StartupSweep.class);

    private final QueryGateway queries;
    private final CommandGateway commands;
    private final ObjectProvider<RedisClient> redis;

    StartupSweep(QueryGateway queries, CommandGateway commands, ObjectProvider<RedisClient> redis) {
        this.queries = queries;
        this.commands = commands;
        this.redis = redis;
    }

    @EventListener(ApplicationReadyEvent.class)
    void sweep() {
        if (redis.getIfAvailable() != null) {
            return;
        }
        List<LiveCallView> live = queries.query(new FindLiveCallsQuery(),
                ResponseTypes.multipleInstancesOf(LiveCallView.class)).join();
        for (LiveCallView call : live) {
            for (String participant : call.participants()) {
                commands.send(new ReportParticipantGoneCommand(CallId.of(call.callId()), UserId.of(participant)))
                        .exceptionally(failure -> {
                            log.warn("event=startup_sweep_failed call={} error={}", call.callId(), failure.toString());
                            return null;
                        });
            }
        }
        if (!live.isEmpty()) {
            log.info("event=startup_sweep calls={} note=\"participants must reconnect within the grace period\"",
                    live.size());
        }
    }
}

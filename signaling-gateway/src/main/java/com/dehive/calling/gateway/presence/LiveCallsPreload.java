package com.dehive.calling.gateway.presence;

import com.dehive.calling.gateway.cluster.LocalPresence;
import com.dehive.calling.gateway.cluster.Presence;
import com.dehive.calling.gateway.relay.ParticipationView;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.query.FindLiveCallsQuery;
import com.dehive.calling.shared.query.LiveCallView;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Before the first socket connects, tells the relay's view which users are in the calls that are live now. Alone
 * (no Redis), this node then knows every live call, and a connecting or vanishing socket needs no store lookup to
 * learn that its user is in none.
 */
public class LiveCallsPreload implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveCallsPreload.class);

    private final QueryGateway queries;
    private final ParticipationView view;
    private final Presence presence;
    private volatile boolean running;

    public LiveCallsPreload(QueryGateway queries, ParticipationView view, Presence presence) {
        this.queries = queries;
        this.view = view;
        this.presence = presence;
    }

    @Override
    public void start() {
        List<LiveCallView> live = queries.query(new FindLiveCallsQuery(),
                ResponseTypes.multipleInstancesOf(LiveCallView.class)).join();
        Map<String, List<UserId>> participants = new HashMap<>();
        live.forEach(call -> participants.put(call.callId(), call.participants().stream().map(UserId::of).toList()));
        view.preload(participants, presence instanceof LocalPresence);
        running = true;
        log.info("event=live_calls_preloaded calls={}", live.size());
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After Axon's processors and buses, before the socket server. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 250;
    }
}

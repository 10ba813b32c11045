package com.dehive.calling.gateway.socket;

import com.dehive.calling.gateway.auth.AuthProperties;
import com.dehive.calling.gateway.auth.JwtUsers;
import com.dehive.calling.gateway.auth.session.DecodeSessions;
import com.dehive.calling.gateway.call.CallCommands;
import com.dehive.calling.gateway.cluster.Fanout;
import com.dehive.calling.gateway.cluster.Presence;
import com.dehive.calling.gateway.cluster.RedisPresence;
import org.springframework.beans.factory.ObjectProvider;
import com.dehive.calling.gateway.ratelimit.AuthFailureLimit;
import com.dehive.calling.gateway.ratelimit.RateLimits;
import com.dehive.calling.gateway.presence.CallPresence;
import com.dehive.calling.gateway.relay.MissedSignals;
import com.dehive.calling.gateway.relay.ParticipationView;
import org.springframework.beans.factory.annotation.Value;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import com.dehive.calling.gateway.relay.Relay;
import com.dehive.calling.gateway.telemetry.MediaReports;
import com.dehive.calling.gateway.web.WebProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Validator;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

@Configuration(proxyBeanMethods = false)
class SocketConfig {

    @Bean
    SocketClients socketClients() {
        return new SocketClients();
    }

    @Bean
    SocketPayloads socketPayloads(ObjectMapper json, Validator validator, SocketProperties properties) {
        return new SocketPayloads(json, validator, properties.maxPayloadBytes());
    }

    @Bean
    ParticipationView participationView(QueryGateway queries) {
        return new ParticipationView(queries);
    }

    @Bean
    MissedSignals missedSignals(@Value("${calling.calls.reconnect-grace}") Duration reconnectGrace) {
        return new MissedSignals(reconnectGrace, 1000, Clock.systemUTC());
    }

    @Bean
    Relay relay(ParticipationView view, Fanout fanout, SocketPayloads payloads, MeterRegistry meters) {
        return new Relay(view, fanout, payloads, meters);
    }

    /** Live calls this node relays for, and its connected sockets, as gauges. */
    @Bean
    MeterBinder socketGauges(ParticipationView view, SocketClients clients) {
        return registry -> {
            registry.gauge("calling.calls.live", view, ParticipationView::liveCount);
            registry.gauge("calling.sockets.connected", clients, SocketClients::connectedCount);
        };
    }

    @Bean
    CallPresence callPresence(CommandGateway commands, QueryGateway queries, ParticipationView view,
                              Presence presence) {
        CallPresence calls = new CallPresence(commands, queries, view, presence);
        if (presence instanceof RedisPresence shared) {
            shared.onVanished(calls::vanishedWithNode);
        }
        return calls;
    }

    @Bean
    SocketAuthenticator socketAuthenticator(JwtDecoder decoder, AuthProperties auth, AuthFailureLimit failures,
                                            ObjectProvider<DecodeSessions> sessions) {
        return new SocketAuthenticator(decoder, new JwtUsers(auth.effectiveMode()), failures,
                sessions.getIfAvailable());
    }

    @Bean
    SocketServer socketServer(SocketProperties properties, CallCommands commands, SocketPayloads payloads,
                              SocketAuthenticator authenticator, Relay relay, RateLimits rateLimits,
                              RateLimits.Limit callStartLimit, SocketClients clients, CallPresence presence,
                              WebProperties web, MediaReports reports) {
        return new SocketServer(properties, List.of(
                new IdentityListeners(authenticator, payloads, presence, properties),
                new PingListener(),
                new CallCommandListeners(commands, payloads, rateLimits, callStartLimit, reports),
                new SignalListeners(relay)), clients, web.cors());
    }
}

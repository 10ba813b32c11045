package com.dehive.calling.query.history;

import com.dehive.calling.query.writebehind.WriteBehind;
import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallParty;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.CallStatus;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.call.MediaState;
import com.dehive.calling.shared.call.MediaToggledEvent;
import com.dehive.calling.shared.query.CallHistoryPage;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.FindActiveCallQuery;
import com.dehive.calling.shared.query.FindCallHistoryQuery;
import com.dehive.calling.shared.query.FindCallQuery;
import com.dehive.calling.shared.query.UserInfoView;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The calls read model: one document per call, answering the call view, the active call and the history.
 * Every handler sets fields to what the event says, so a redelivered or replayed event changes nothing.
 */
@Component
@ProcessingGroup(CallHistoryProjection.PROCESSING_GROUP)
public class CallHistoryProjection {

    public static final String PROCESSING_GROUP = "call-history";
    static final String COLLECTION = "calls";

    private final MongoCollection<Document> calls;

    public CallHistoryProjection(MongoDatabase database) {
        this.calls = database.getCollection(COLLECTION);
        // a user's history, newest first, and their live call; without these MongoDB scans every call
        calls.createIndex(Indexes.compoundIndex(Indexes.ascending("participants"), Indexes.descending("created_at")));
        calls.createIndex(Indexes.ascending("participants", "status"));
    }

    @EventHandler
    void on(CallStartedEvent event) {
        Document call = new Document("_id", event.callId().toString())
                .append("caller_id", event.caller().id().toString())
                .append("callee_id", event.callee().toString())
                .append("participants", List.of(event.caller().id().toString(), event.callee().toString()))
                .append("caller_info", info(event.caller()))
                .append("callee_info", info(UserProfile.idOnly(event.callee())))
                .append("status", CallStatus.RINGING.wireName())
                .append("with_video", event.withVideo())
                .append("with_audio", event.withAudio())
                .append("created_at", Date.from(event.createdAt()))
                .append("caller_audio_enabled", event.withAudio())
                .append("caller_video_enabled", event.withVideo())
                .append("callee_audio_enabled", false)
                .append("callee_video_enabled", false)
                .append("caller_audio_muted", false)
                .append("caller_video_muted", false)
                .append("callee_audio_muted", false)
                .append("callee_video_muted", false);
        BatchedWrites.replace(calls, call);
    }

    @EventHandler
    void on(CallAcceptedEvent event) {
        update(event.callId().toString(), new Document("status", CallStatus.CONNECTED.wireName())
                .append("started_at", Date.from(event.acceptedAt()))
                .append("callee_info", info(event.callee()))
                .append("callee_audio_enabled", event.withAudio())
                .append("callee_video_enabled", event.withVideo()));
    }

    @EventHandler
    void on(CallDeclinedEvent event) {
        update(event.callId().toString(), new Document("status", CallStatus.DECLINED.wireName())
                .append("ended_at", Date.from(event.declinedAt()))
                .append("end_reason", EndReason.USER_DECLINED.wireName()));
    }

    @EventHandler
    void on(CallEndedEvent event) {
        update(event.callId().toString(), new Document("status", CallStatus.ENDED.wireName())
                .append("ended_at", Date.from(event.endedAt()))
                .append("end_reason", event.reason().wireName())
                .append("duration_seconds", event.durationSeconds()));
    }

    @EventHandler
    void on(MediaToggledEvent event) {
        String party = event.party() == CallParty.CALLER ? "caller" : "callee";
        String medium = switch (event.mediaType()) {
            case AUDIO -> "audio";
            case VIDEO -> "video";
            case SCREEN_SHARE -> null; // recorded in the event; the call view has no screen-share flag
        };
        if (medium == null) {
            return;
        }
        MediaState state = event.state();
        String flag = state == MediaState.ENABLED || state == MediaState.DISABLED ? "enabled" : "muted";
        boolean value = state == MediaState.ENABLED || state == MediaState.MUTED;
        update(event.callId().toString(), new Document(party + "_" + medium + "_" + flag, value));
    }

    /** Sends the batch's writes once its last event is handled (see {@link BatchedWrites}). */
    @Configuration(proxyBeanMethods = false)
    static class BatchedWritesConfig {

        @Bean
        ConfigurerModule callHistoryBatchedWrites(WriteBehind writeBehind) {
            return configurer -> configurer.eventProcessing()
                    .registerHandlerInterceptor(PROCESSING_GROUP,
                            config -> new BatchedWrites(PROCESSING_GROUP, writeBehind));
        }
    }

    @ResetHandler
    void reset() {
        calls.deleteMany(new Document());
    }

    @QueryHandler
    Optional<CallView> handle(FindCallQuery query) {
        return Optional.ofNullable(calls.find(Filters.eq("_id", query.callId().toString())).first())
                .map(CallHistoryProjection::view);
    }

    @QueryHandler
    Optional<CallView> handle(FindActiveCallQuery query) {
        Bson live = Filters.and(Filters.eq("participants", query.user().toString()),
                Filters.in("status", CallStatus.RINGING.wireName(), CallStatus.CONNECTED.wireName()));
        return Optional.ofNullable(calls.find(live).sort(Sorts.descending("created_at")).first())
                .map(CallHistoryProjection::view);
    }

    @QueryHandler
    CallHistoryPage handle(FindCallHistoryQuery query) {
        Bson mine = Filters.eq("participants", query.user().toString());
        List<CallView> page = new ArrayList<>();
        calls.find(mine)
                .sort(Sorts.orderBy(Sorts.descending("created_at"), Sorts.descending("_id")))
                .skip(query.offset())
                .limit(query.limit())
                .forEach(document -> page.add(view(document)));
        return new CallHistoryPage(page, calls.countDocuments(mine), query.limit(), query.offset());
    }

    private void update(String callId, Document fields) {
        BatchedWrites.set(calls, callId, fields);
    }

    private static Document info(UserProfile profile) {
        return new Document("_id", profile.id().toString())
                .append("username", profile.username())
                .append("display_name", profile.displayName())
                .append("avatar_ipfs_hash", profile.avatarIpfsHash());
    }

    private static UserInfoView infoView(Document info) {
        return new UserInfoView(info.getString("_id"), info.getString("username"), info.getString("display_name"),
                info.getString("avatar_ipfs_hash"));
    }

    private static CallView view(Document call) {
        Number duration = call.get("duration_seconds", Number.class);
        return new CallView(
                call.getString("_id"),
                call.getString("status"),
                call.getString("caller_id"),
                call.getString("callee_id"),
                infoView(call.get("caller_info", Document.class)),
                infoView(call.get("callee_info", Document.class)),
                call.getBoolean("with_video"),
                call.getBoolean("with_audio", true),
                instant(call, "created_at"),
                instant(call, "started_at"),
                instant(call, "ended_at"),
                call.getString("end_reason"),
                duration == null ? null : duration.longValue(),
                call.getBoolean("caller_audio_enabled"),
                call.getBoolean("caller_video_enabled"),
                call.getBoolean("callee_audio_enabled"),
                call.getBoolean("callee_video_enabled"),
                call.getBoolean("caller_audio_muted"),
                call.getBoolean("caller_video_muted"),
                call.getBoolean("callee_audio_muted"),
                call.getBoolean("callee_video_muted"));
    }

    private static Instant instant(Document document, String field) {
        Date date = document.getDate(field);
        return date == null ? null : date.toInstant();
    }

}

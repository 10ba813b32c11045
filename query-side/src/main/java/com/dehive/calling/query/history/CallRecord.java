package com.dehive.calling.query.history;

import com.dehive.calling.shared.UserProfile;
import com.dehive.calling.shared.call.CallAcceptedEvent;
import com.dehive.calling.shared.call.CallDeclinedEvent;
import com.dehive.calling.shared.call.CallEndedEvent;
import com.dehive.calling.shared.call.CallEvent;
import com.dehive.calling.shared.call.CallParty;
import com.dehive.calling.shared.call.CallStartedEvent;
import com.dehive.calling.shared.call.CallStatus;
import com.dehive.calling.shared.call.EndReason;
import com.dehive.calling.shared.call.MediaState;
import com.dehive.calling.shared.call.MediaToggledEvent;
import com.dehive.calling.shared.call.MediaType;
import com.dehive.calling.shared.query.CallView;
import com.dehive.calling.shared.query.UserInfoView;
import org.bson.codecs.pojo.annotations.BsonId;
import org.bson.codecs.pojo.annotations.BsonProperty;

import java.time.Instant;
import java.util.List;

/**
 * A call as the history shows it: one document per call in the {@code calls} collection, under the stored field
 * names. {@link #apply} folds the call's events into it.
 */
public record CallRecord(
        @BsonId String id,
        @BsonProperty(CALLER_ID) String callerId,
        @BsonProperty(CALLEE_ID) String calleeId,
        @BsonProperty(PARTICIPANTS) List<String> participants,
        @BsonProperty(CALLER_INFO) Profile callerInfo,
        @BsonProperty(CALLEE_INFO) Profile calleeInfo,
        @BsonProperty(STATUS) String status,
        @BsonProperty(WITH_VIDEO) boolean withVideo,
        @BsonProperty(WITH_AUDIO) Boolean withAudio,
        @BsonProperty(CREATED_AT) Instant createdAt,
        @BsonProperty(STARTED_AT) Instant startedAt,
        @BsonProperty(ENDED_AT) Instant endedAt,
        @BsonProperty(END_REASON) String endReason,
        @BsonProperty(DURATION_SECONDS) Long durationSeconds,
        @BsonProperty("caller_audio_enabled") boolean callerAudioEnabled,
        @BsonProperty("caller_video_enabled") boolean callerVideoEnabled,
        @BsonProperty("callee_audio_enabled") boolean calleeAudioEnabled,
        @BsonProperty("callee_video_enabled") boolean calleeVideoEnabled,
        @BsonProperty("caller_audio_muted") boolean callerAudioMuted,
        @BsonProperty("caller_video_muted") boolean callerVideoMuted,
        @BsonProperty("callee_audio_muted") boolean calleeAudioMuted,
        @BsonProperty("callee_video_muted") boolean calleeVideoMuted) {

    public static final String COLLECTION = "calls";
    static final String CALLER_ID = "caller_id";
    static final String CALLEE_ID = "callee_id";
    static final String PARTICIPANTS = "participants";
    static final String CALLER_INFO = "caller_info";
    static final String CALLEE_INFO = "callee_info";
    static final String STATUS = "status";
    static final String WITH_VIDEO = "with_video";
    static final String WITH_AUDIO = "with_audio";
    static final String CREATED_AT = "created_at";
    static final String STARTED_AT = "started_at";
    static final String ENDED_AT = "ended_at";
    static final String END_REASON = "end_reason";
    static final String DURATION_SECONDS = "duration_seconds";

    /** A user as the call shows them. */
    public record Profile(@BsonId String id, String username, @BsonProperty("display_name") String displayName,
                          @BsonProperty("avatar_ipfs_hash") String avatarIpfsHash) {

        static Profile of(UserProfile profile) {
            return new Profile(profile.id().toString(), profile.username(), profile.displayName(),
                    profile.avatarIpfsHash());
        }

        UserInfoView view() {
            return new UserInfoView(id, username, displayName, avatarIpfsHash);
        }
    }

    /**
     * The record after one more of the call's events: the one fold of a call's events into what the history shows,
     * used by the projection and by the reads that go to the events themselves. Events the record does not show
     * leave it as it is.
     */
    static CallRecord apply(CallRecord record, CallEvent event) {
        if (event instanceof CallStartedEvent started) {
            return ringing(started);
        }
        if (record == null) {
            return null; // a call whose start is not known here
        }
        if (event instanceof CallAcceptedEvent accepted) {
            return record.accepted(accepted);
        }
        if (event instanceof CallDeclinedEvent declined) {
            return record.over(CallStatus.DECLINED, declined.declinedAt(), EndReason.USER_DECLINED, null);
        }
        if (event instanceof CallEndedEvent ended) {
            return record.over(CallStatus.ENDED, ended.endedAt(), ended.reason(), ended.durationSeconds());
        }
        if (event instanceof MediaToggledEvent toggled) {
            return record.toggled(toggled);
        }
        return record;
    }

    /** A call that has just started ringing; the callee's profile is known once they answer. */
    private static CallRecord ringing(CallStartedEvent event) {
        return new CallRecord(event.callId().toString(), event.caller().id().toString(), event.callee().toString(),
                List.of(event.caller().id().toString(), event.callee().toString()),
                Profile.of(event.caller()), Profile.of(UserProfile.idOnly(event.callee())),
                CallStatus.RINGING.wireName(), event.withVideo(), event.withAudio(), event.createdAt(),
                null, null, null, null,
                event.withAudio(), event.withVideo(), false, false,
                false, false, false, false);
    }

    private CallRecord accepted(CallAcceptedEvent event) {
        return new CallRecord(id, callerId, calleeId, participants, callerInfo, Profile.of(event.callee()),
                CallStatus.CONNECTED.wireName(), withVideo, withAudio, createdAt, event.acceptedAt(), endedAt,
                endReason, durationSeconds, callerAudioEnabled, callerVideoEnabled, event.withAudio(),
                event.withVideo(), callerAudioMuted, callerVideoMuted, calleeAudioMuted, calleeVideoMuted);
    }

    private CallRecord over(CallStatus status, Instant at, EndReason reason, Long duration) {
        return new CallRecord(id, callerId, calleeId, participants, callerInfo, calleeInfo, status.wireName(),
                withVideo, withAudio, createdAt, startedAt, at, reason.wireName(), duration, callerAudioEnabled,
                callerVideoEnabled, calleeAudioEnabled, calleeVideoEnabled, callerAudioMuted, callerVideoMuted,
                calleeAudioMuted, calleeVideoMuted);
    }

    /**
     * Sets the one flag a toggle speaks of: enabled/disabled set a party's {@code *_enabled} flag of the medium,
     * muted/unmuted its {@code *_muted} flag. Screen sharing has no flag in the call view.
     */
    private CallRecord toggled(MediaToggledEvent event) {
        if (event.mediaType() == MediaType.SCREEN_SHARE) {
            return this;
        }
        MediaState state = event.state();
        boolean value = state == MediaState.ENABLED || state == MediaState.MUTED;
        Flag toggled = new Flag(event.party() == CallParty.CALLER, event.mediaType() == MediaType.AUDIO,
                state == MediaState.ENABLED || state == MediaState.DISABLED);
        return new CallRecord(id, callerId, calleeId, participants, callerInfo, calleeInfo, status, withVideo,
                withAudio, createdAt, startedAt, endedAt, endReason, durationSeconds,
                toggled.is(true, true, true) ? value : callerAudioEnabled,
                toggled.is(true, false, true) ? value : callerVideoEnabled,
                toggled.is(false, true, true) ? value : calleeAudioEnabled,
                toggled.is(false, false, true) ? value : calleeVideoEnabled,
                toggled.is(true, true, false) ? value : callerAudioMuted,
                toggled.is(true, false, false) ? value : callerVideoMuted,
                toggled.is(false, true, false) ? value : calleeAudioMuted,
                toggled.is(false, false, false) ? value : calleeVideoMuted);
    }

    /** One of the eight media flags: whose, which medium, and whether it is the on/off flag or the mute flag. */
    private record Flag(boolean caller, boolean audio, boolean enabled) {

        boolean is(boolean caller, boolean audio, boolean enabled) {
            return this.caller == caller && this.audio == audio && this.enabled == enabled;
        }
    }

    boolean isLive() {
        return status.equals(CallStatus.RINGING.wireName()) || status.equals(CallStatus.CONNECTED.wireName());
    }

    CallView view() {
        return new CallView(id, status, callerId, calleeId, callerInfo.view(), calleeInfo.view(), withVideo,
                withAudio == null || withAudio, createdAt, startedAt, endedAt, endReason, durationSeconds,
                callerAudioEnabled, callerVideoEnabled, calleeAudioEnabled, calleeVideoEnabled,
                callerAudioMuted, callerVideoMuted, calleeAudioMuted, calleeVideoMuted);
    }
}

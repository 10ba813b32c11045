package com.dehive.calling.it;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A call that ends leaves exactly one system message in the users' conversation, also after a rebuild. */
class ConversationMessagesIT extends ServiceIT {

    @Autowired
    private MongoDatabase database;

    @Test
    void each_ended_call_posts_one_message_and_a_rebuild_posts_none_again() {
        CallingApi api = api();
        String alice = newUser("alice");
        String bob = newUser("bob");
        String aliceToken = api.token(alice);
        String bobToken = api.token(bob);
        String admin = api.token(newUser("admin"), "admin");

        String hungUp = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/accept", bobToken, Map.of("call_id", hungUp, "with_video", false));
        acknowledged(api, "/api/calls/end", bobToken, Map.of("call_id", hungUp));
        String declined = ringingCall(api, aliceToken, bob);
        acknowledged(api, "/api/calls/decline", bobToken, Map.of("call_id", declined));
        String cancelled = ringingCall(api, bobToken, alice);
        acknowledged(api, "/api/calls/end", bobToken, Map.of("call_id", cancelled));
        String voice = ringingCall(api, aliceToken, bob);
        api.post("/api/calls/end", aliceToken, Map.of("call_id", voice));
        List<String> calls = List.of(hungUp, declined, cancelled, voice);

        await().atMost(Duration.ofSeconds(10)).until(() -> messagesOf(calls).size() == 4);
        assertThat(content(hungUp)).isEqualTo("Video call \u2022 0:00");
        assertThat(content(declined)).isEqualTo("Call declined");
        assertThat(content(cancelled)).isEqualTo("Call cancelled");
        assertThat(content(voice)).isEqualTo("Call cancelled");
        assertThat(messagesOf(calls)).extracting(m -> m.get("conversationId")).containsOnly(
                messagesOf(calls).get(0).get("conversationId"));
        assertThat(database.getCollection("direct_conversation").countDocuments(
                Filters.or(Filters.and(Filters.eq("userA", alice), Filters.eq("userB", bob)),
                        Filters.and(Filters.eq("userA", bob), Filters.eq("userB", alice))))).isEqualTo(1);

        CallingApi.Response started = api.post("/api/admin/projections/conversation-messages/replay", admin, Map.of());
        assertThat(started.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get(
                "/api/admin/projections/conversation-messages/replay", admin).data().get("done").asBoolean());
        assertThat(messagesOf(calls)).hasSize(4);
    }

    private String content(String callId) {
        return messagesOf(List.of(callId)).get(0).getString("content");
    }

    private List<Document> messagesOf(List<String> callIds) {
        return database.getCollection("direct_message")
                .find(Filters.in("attachments.call_id", callIds)).into(new ArrayList<>());
    }
}

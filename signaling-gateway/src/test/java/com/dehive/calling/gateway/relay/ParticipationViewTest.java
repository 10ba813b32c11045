package com.dehive.calling.gateway.relay;

import com.dehive.calling.shared.CallId;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.query.CallView;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

/** A user's live call, as the view answers it at every connect and disconnect. */
class ParticipationViewTest {

    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final UserId CAROL = UserId.of("carol");
    private static final CallId FIRST = CallId.of("11111111-1111-4111-8111-111111111111");
    private static final CallId SECOND = CallId.of("22222222-2222-4222-8222-222222222222");
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private final QueryGateway queries = mock(QueryGateway.class);
    private final ParticipationView view = new ParticipationView(queries);

    @Test
    void a_live_call_is_found_by_either_participant_until_it_ends() {
        view.started(FIRST, ALICE, BOB, T0);

        assertThat(callOf(ALICE)).contains(FIRST.toString());
        assertThat(callOf(BOB)).contains(FIRST.toString());
        assertThat(callOf(CAROL)).isEmpty();

        view.ended(FIRST);
        assertThat(callOf(ALICE)).isEmpty();
        assertThat(callOf(BOB)).isEmpty();
    }

    @Test
    void the_end_of_an_earlier_call_told_late_leaves_the_users_next_call() {
        view.started(FIRST, ALICE, BOB, T0);
        view.started(SECOND, ALICE, CAROL, T0.plusSeconds(5));

        view.ended(FIRST);

        assertThat(callOf(ALICE)).contains(SECOND.toString());
        assertThat(callOf(CAROL)).contains(SECOND.toString());
        assertThat(callOf(BOB)).isEmpty();
    }

    @Test
    void a_call_looked_up_in_the_read_model_is_found_by_its_participants_but_never_displaces_a_known_one() {
        view.started(FIRST, ALICE, BOB, T0);
        doReturn(CompletableFuture.completedFuture(Optional.of(ringing(SECOND, ALICE, CAROL))))
                .when(queries).query(any(), any(ResponseType.class));

        assertThat(view.find(SECOND.toString()).join()).isPresent();

        assertThat(callOf(CAROL)).contains(SECOND.toString());
        assertThat(callOf(ALICE)).contains(FIRST.toString());
    }

    private Optional<String> callOf(UserId user) {
        return view.liveCallOf(user).map(Participation::callId);
    }

    private static CallView ringing(CallId call, UserId caller, UserId callee) {
        return new CallView(call.toString(), "ringing", caller.toString(), callee.toString(), null, null, true, true,
                T0, null, null, null, null, true, true, true, true, false, false, false, false);
    }
}

package com.dehive.calling.it;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every audit, analytics and admin endpoint answers only the roles it is for. */
class RoleChecksIT extends ServiceIT {

    @Test
    void each_endpoint_admits_its_roles_and_refuses_everyone_else() {
        CallingApi api = api();
        String bob = newUser("bob");
        String aliceToken = api.token(newUser("alice"));
        String callId = ringingCall(api, aliceToken, bob);

        String plain = api.token(newUser("plain"));
        String auditor = api.token(newUser("auditor"), "auditor");
        String analytics = api.token(newUser("analyst"), "analytics");
        String admin = api.token(newUser("admin"), "admin");

        String events = "/api/audit/calls/" + callId + "/events";
        String verify = "/api/audit/calls/" + callId + "/verify";
        String export = "/api/audit/events?limit=5";
        String daily = "/api/analytics/calls/daily?from=2026-01-01&to=2026-01-02";
        String replay = "/api/admin/projections/call-history/replay";

        expectGet(api, events, auditor, 200, analytics, 403, admin, 403, plain, 403, aliceToken, 403);
        expectGet(api, verify, auditor, 200, analytics, 403, admin, 403, plain, 403);
        expectGet(api, export, auditor, 200, analytics, 200, admin, 403, plain, 403);
        expectGet(api, daily, analytics, 200, auditor, 403, admin, 403, plain, 403);
        expectGet(api, replay, admin, 200, auditor, 403, analytics, 403, plain, 403);
        assertThat(api.post(replay, plain, Map.of()).status()).isEqualTo(403);
        assertThat(api.post(replay, auditor, Map.of()).code()).isEqualTo("FORBIDDEN");
        assertThat(api.post("/api/admin/projections/no-such-projection/replay", admin, Map.of()).code())
                .isEqualTo("NOT_FOUND");

        for (String path : new String[]{events, verify, export, daily, replay}) {
            CallingApi.Response anonymous = api.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.code()).isEqualTo("AUTHENTICATION_REQUIRED");
        }
    }

    private static void expectGet(CallingApi api, String path, Object... tokensAndStatuses) {
        for (int i = 0; i < tokensAndStatuses.length; i += 2) {
            CallingApi.Response response = api.get(path, (String) tokensAndStatuses[i]);
            int expected = (Integer) tokensAndStatuses[i + 1];
            assertThat(response.status()).as(path + " → " + response.raw().body()).isEqualTo(expected);
            if (expected == 403) {
                assertThat(response.code()).isEqualTo("FORBIDDEN");
            }
        }
    }
}

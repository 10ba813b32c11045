package com.dehive.calling.gateway.auth.session;

import com.dehive.calling.gateway.auth.AuthenticatedUser;

import java.time.Instant;
import java.util.Optional;

/** Validated sessions, until they expire: in this process, or in Redis so that every node trusts them. */
public interface SessionCache {

    Optional<AuthenticatedUser> find(String key);

    void put(String key, AuthenticatedUser user, Instant expiresAt);
}

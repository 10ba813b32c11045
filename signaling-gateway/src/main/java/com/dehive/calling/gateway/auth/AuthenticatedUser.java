package com.dehive.calling.gateway.auth;

import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;

import java.util.Set;

/**
 * The proven caller behind a request or socket: their profile as the credential states it, their roles, and how
 * they proved it (for the audit trail).
 */
public record AuthenticatedUser(UserProfile profile, Set<String> roles, AuthMode method) {

    public UserId id() {
        return profile.id();
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}

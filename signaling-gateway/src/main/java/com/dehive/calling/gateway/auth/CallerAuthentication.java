package com.dehive.calling.gateway.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A Spring Security authentication whose principal is the {@link AuthenticatedUser}. */
public class CallerAuthentication extends AbstractAuthenticationToken {

    private final AuthenticatedUser user;

    public CallerAuthentication(AuthenticatedUser user) {
        super(user.roles().stream().map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList());
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public AuthenticatedUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.id().toString();
    }
}

package com.dehive.calling.gateway.auth;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.UserId;
import com.dehive.calling.shared.UserProfile;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the caller out of a validated token: {@code sub} is the user id; {@code username}, {@code display_name},
 * {@code avatar_ipfs_hash} the profile; {@code roles} (a list or a space-separated string) the roles.
 */
public class JwtUsers implements Converter<Jwt, CallerAuthentication> {

    private final AuthMode method;

    public JwtUsers(AuthMode method) {
        this.method = method;
    }

    @Override
    public CallerAuthentication convert(Jwt jwt) {
        return new CallerAuthentication(user(jwt));
    }

    public AuthenticatedUser user(Jwt jwt) {
        UserId id;
        try {
            id = UserId.of(jwt.getSubject());
        } catch (CallingException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                    "The token's subject is not a valid user id", null));
        }
        UserProfile profile = new UserProfile(id, jwt.getClaimAsString("username"),
                jwt.getClaimAsString("display_name"), jwt.getClaimAsString("avatar_ipfs_hash"));
        return new AuthenticatedUser(profile, roles(jwt.getClaim("roles")), method);
    }

    private static Set<String> roles(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        }
        if (claim instanceof String value && !value.isBlank()) {
            return Set.copyOf(List.of(value.trim().split("\\s+")));
        }
        return Set.of();
    }
}

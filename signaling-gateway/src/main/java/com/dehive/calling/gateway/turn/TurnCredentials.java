package com.dehive.calling.gateway.turn;

import com.dehive.calling.shared.CallingException;
import com.dehive.calling.shared.ErrorCode;
import com.dehive.calling.shared.UserId;
import com.fasterxml.jackson.annotation.JsonInclude;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Time-limited TURN credentials in the TURN REST API scheme that coturn checks with {@code use-auth-secret}:
 * username {@code <unix expiry>:<user id>}, password base64(HMAC-SHA1(secret, username)).
 */
public class TurnCredentials {

    public record Credential(String username, String credential, long ttl, List<String> uris) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IceServer(Object urls, String username, String credential) {
    }

    private final TurnProperties properties;
    private final Clock clock;

    public TurnCredentials(TurnProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    public Credential issue(UserId user) {
        if (!properties.configured()) {
            throw new CallingException(ErrorCode.INTERNAL, "TURN is not configured on this service (TURN_SECRET)");
        }
        long ttl = properties.credentialTtl().toSeconds();
        String username = (clock.instant().getEpochSecond() + ttl) + ":" + user;
        return new Credential(username, hmacSha1(properties.secret(), username), ttl, turnUris());
    }

    /** The STUN servers, then TURN over UDP and TCP with fresh credentials when TURN is configured. */
    public List<IceServer> iceServers(UserId user) {
        List<IceServer> servers = new ArrayList<>();
        properties.stunUrls().forEach(url -> servers.add(new IceServer(url, null, null)));
        if (properties.configured()) {
            Credential credential = issue(user);
            servers.add(new IceServer(credential.uris(), credential.username(), credential.credential()));
        }
        return servers;
    }

    private List<String> turnUris() {
        String server = properties.host() + ":" + properties.port();
        return List.of("turn:" + server, "turn:" + server + "?transport=tcp");
    }

    static String hmacSha1(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JVM", e);
        }
    }
}

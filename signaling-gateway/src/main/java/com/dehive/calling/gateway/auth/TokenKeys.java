package com.dehive.calling.gateway.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The keys tokens are checked with: an HS256 secret (configured, or random in dev mode), or a JWKS URI.
 * The key itself never leaves this class.
 */
public class TokenKeys {

    private static final Logger log = LoggerFactory.getLogger(TokenKeys.class);
    private static final int MIN_SECRET_BYTES = 32;

    private final SecretKey hmacKey;
    private final String jwksUri;

    public TokenKeys(AuthProperties properties) {
        if (properties.hasJwtSecret()) {
            byte[] secret = properties.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalStateException(
                        "CALLING_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes for HS256");
            }
            hmacKey = new SecretKeySpec(secret, "HmacSHA256");
            jwksUri = null;
        } else if (properties.effectiveMode() == AuthMode.JWT) {
            if (properties.jwksUri() == null || properties.jwksUri().isBlank()) {
                throw new IllegalStateException("auth mode jwt needs CALLING_JWT_SECRET or CALLING_JWT_JWKS_URI");
            }
            hmacKey = null;
            jwksUri = properties.jwksUri();
        } else {
            byte[] random = new byte[MIN_SECRET_BYTES];
            new SecureRandom().nextBytes(random);
            hmacKey = new SecretKeySpec(random, "HmacSHA256");
            jwksUri = null;
            if (properties.effectiveMode() == AuthMode.DEV) {
                log.warn("event=dev_token_secret_generated note=\"tokens minted now stop working when the service "
                        + "restarts; set CALLING_JWT_SECRET to keep them\"");
            }
        }
    }

    public JwtDecoder decoder() {
        if (hmacKey == null) {
            return NimbusJwtDecoder.withJwkSetUri(jwksUri).build();
        }
        return NimbusJwtDecoder.withSecretKey(hmacKey).macAlgorithm(MacAlgorithm.HS256).build();
    }

    /** Signs tokens with the HS256 key; there is none when tokens are checked against a JWKS URI. */
    public JwtEncoder encoder() {
        if (hmacKey == null) {
            throw new IllegalStateException("tokens are verified with a JWKS URI: this service cannot sign any");
        }
        return new NimbusJwtEncoder(new ImmutableSecret<>(hmacKey));
    }
}

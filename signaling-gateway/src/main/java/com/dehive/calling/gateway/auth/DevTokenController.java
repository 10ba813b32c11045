package com.dehive.calling.gateway.auth;

import com.dehive.calling.gateway.web.ApiResponse;
import com.dehive.calling.shared.UserId;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Dev mode only (the embedded default): anyone may have a token for any user. Refused (403) in other modes. */
@RestController
@RequestMapping("/api/dev")
@Tag(name = "dev", description = "Token minting for the embedded default (auth mode dev only)")
public class DevTokenController {

    private final TokenKeys tokenKeys;
    private final AuthProperties properties;

    public DevTokenController(TokenKeys tokenKeys, AuthProperties properties) {
        this.tokenKeys = tokenKeys;
        this.properties = properties;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DevTokenRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1 to 64 characters of [A-Za-z0-9_-]")
            String userId,
            @Size(max = 100) String username,
            @Size(max = 100) String displayName,
            @Size(max = 200) String avatarIpfsHash,
            List<@Pattern(regexp = "auditor|analytics|admin", message = "must be auditor, analytics or admin") String> roles) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DevToken(String token, String userId, Instant expiresAt) {
    }

    @PostMapping("/tokens")
    @SecurityRequirements
    @Operation(summary = "Mint a token for any user (dev mode only)",
            description = "Errors: 400 INVALID_FORMAT / VALIDATION_FAILED; 403 FORBIDDEN outside dev mode.")
    public ApiResponse<DevToken> mint(@Valid @RequestBody DevTokenRequest request) {
        UserId user = UserId.of(request.userId());
        Instant now = Instant.now();
        Instant expiresAt = now.plus(properties.devTokenTtl());
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .subject(user.toString())
                .issuedAt(now)
                .expiresAt(expiresAt)
                .claim("username", request.username() == null ? user.toString() : request.username())
                .claim("roles", request.roles() == null ? List.of() : request.roles());
        if (request.displayName() != null) {
            claims.claim("display_name", request.displayName());
        }
        if (request.avatarIpfsHash() != null) {
            claims.claim("avatar_ipfs_hash", request.avatarIpfsHash());
        }
        String token = tokenKeys.encoder().encode(JwtEncoderParameters.from(
                JwsHeader.with(MacAlgorithm.HS256).build(), claims.build())).getTokenValue();
        return ApiResponse.ok("Token created", new DevToken(token, user.toString(), expiresAt));
    }
}

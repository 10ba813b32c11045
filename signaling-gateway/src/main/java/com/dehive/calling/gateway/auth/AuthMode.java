package com.dehive.calling.gateway.auth;

/** How callers prove who they are (PROTOCOL.md, Authentication). */
public enum AuthMode {
    /** Embedded default: HS256 tokens minted by {@code POST /api/dev/tokens}. */
    DEV,
    /** Tokens from an identity provider: an HS256 secret or a JWKS URI. */
    JWT,
    /** Sessions validated against the Decode gateway. */
    SESSION
}

package com.dehive.calling.eventstore.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;

/**
 * Where events, tokens and read models live: the MongoDB at {@code uri}, or with no uri the embedded store
 * ({@code h2}: a file under {@code dataDir} that survives restarts; {@code memory}: gone at exit, for tests).
 * The uri may hold a password, so {@link #toString()} leaves it out.
 */
@Validated
@ConfigurationProperties("calling.mongo")
public record StoreProperties(String uri, @NotBlank String database, @NotNull EmbeddedBackend embeddedBackend,
                             @NotNull Path dataDir) {

    public enum EmbeddedBackend { H2, MEMORY }

    public boolean embedded() {
        return !StringUtils.hasText(uri);
    }

    @Override
    public String toString() {
        return "StoreProperties[uri=" + (embedded() ? "unset" : "***") + ", database=" + database
                + ", embeddedBackend=" + embeddedBackend + ", dataDir=" + dataDir + "]";
    }
}

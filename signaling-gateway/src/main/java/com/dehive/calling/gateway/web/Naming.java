package com.dehive.calling.gateway.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** Field names as clients see them on the wire. */
public final class Naming {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    private Naming() {
    }

    public static String snakeCase(String javaName) {
        return SNAKE_CASE.translate(javaName);
    }
}

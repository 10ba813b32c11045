package com.dehive.calling.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wire types are strict: a number or a boolean where the protocol wants a string is a wrong type, not a string, and
 * a fraction where it wants a whole number is a wrong type, not cut to one. (Scalar coercion in general is switched
 * off in application.yml.)
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonConfig {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictTextualFields() {
        return builder -> builder.postConfigurer(StrictJsonConfig::strict);
    }

    /** Makes the mapper as strict as the service's own (for tests that read wire records without the service). */
    public static void strict(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }
}

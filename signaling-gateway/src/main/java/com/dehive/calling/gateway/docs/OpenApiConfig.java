package com.dehive.calling.gateway.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Swagger UI at {@code /api-dc-docs}, the OpenAPI JSON at {@code /api-dc-docs-json}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI callingApi() {
        return new OpenAPI()
                .info(new Info().title("Direct Calling Service").version("1")
                        .description("1:1 audio/video calls. Every answer is {success, statusCode, message, data}; "
                                + "a failure adds code (PROTOCOL.md error codes), error, timestamp and path."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}

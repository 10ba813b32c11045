package com.dehive.calling.gateway.auth;

import com.dehive.calling.gateway.auth.session.DecodeSessions;
import com.dehive.calling.gateway.auth.session.SessionAuthenticationFilter;
import com.dehive.calling.gateway.ratelimit.AuthFailureLimit;
import org.springframework.beans.factory.ObjectProvider;
import com.dehive.calling.gateway.socket.SocketProperties;
import com.dehive.calling.gateway.web.ApiCorsProcessor;
import com.dehive.calling.gateway.web.ApiErrorWriter;
import com.dehive.calling.gateway.web.BodySizeLimit;
import com.dehive.calling.gateway.web.WebProperties;
import com.dehive.calling.shared.ErrorCode;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Every {@code /api} call needs a credential; the caller is always the authenticated user, never an id sent by
 * the client. Failures answer the protocol's JSON error ({@code 401 AUTHENTICATION_REQUIRED},
 * {@code 403 FORBIDDEN}). CORS preflights are answered before any of that, and oversized bodies refused. This chain
 * also guards the management port, when there is one.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, AuthProperties properties, JwtDecoder jwtDecoder,
                                    ApiErrorWriter errors, AuthFailureLimit authFailures,
                                    ObjectProvider<DecodeSessions> sessions, WebProperties web,
                                    ServerProperties server, SocketProperties socket) throws Exception {
        AuthMode mode = properties.effectiveMode();
        if (mode == AuthMode.DEV) {
            DevAuthExposure.requireLoopback(properties, server.getAddress(), socket.host());
            log.warn("event=dev_auth_enabled warning=\"DEV AUTH MODE: anyone can mint a token for any user at "
                    + "POST /api/dev/tokens. Never expose this service like this.\"");
        }
        log.info("event=auth_configured mode={}", mode);
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(cors -> cors.configurationSource(corsSource(web)))
                // right after CORS, so that a browser may read the refusal
                .addFilterAfter(new BodySizeLimit(Math.toIntExact(web.maxBodySize().toBytes()), errors),
                        CorsFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // answers of async controllers are written on these dispatches, after auth already passed
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        // static pages; the data the analytics page draws needs the analytics role, below
                        .requestMatchers("/demo/**", "/analytics", "/analytics/**", "/webjars/**").permitAll()
                        .requestMatchers("/api/dev/tokens").access((auth, context) ->
                                new AuthorizationDecision(mode == AuthMode.DEV))
                        .requestMatchers("/api/audit/events").hasAnyRole("auditor", "analytics")
                        .requestMatchers("/api/audit/**").hasRole("auditor")
                        .requestMatchers("/api/analytics/**").hasRole("analytics")
                        .requestMatchers("/api/admin/**").hasRole("admin")
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().permitAll())
                // before any credential is read, so an address that failed too often is turned away unheard
                .addFilterBefore(authFailures.filter(), UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(authenticationRequired(errors, authFailures))
                        .accessDeniedHandler((request, response, e) -> errors.write(request, response,
                                ErrorCode.FORBIDDEN, "You are not allowed to do this")));
        if (mode == AuthMode.SESSION) {
            http.addFilterBefore(new SessionAuthenticationFilter(sessions.getObject(), errors, authFailures),
                    AnonymousAuthenticationFilter.class);
        } else {
            http.oauth2ResourceServer(oauth -> oauth
                    .jwt(jwt -> jwt.decoder(jwtDecoder).jwtAuthenticationConverter(new JwtUsers(mode)))
                    .authenticationEntryPoint(authenticationRequired(errors, authFailures)));
        }
        SecurityFilterChain chain = http.build();
        // Spring's own refusal is a bare "Invalid CORS request"; every answer of this service has the JSON shape
        chain.getFilters().stream().filter(CorsFilter.class::isInstance)
                .forEach(cors -> ((CorsFilter) cors).setCorsProcessor(new ApiCorsProcessor(errors)));
        return chain;
    }

    private static UrlBasedCorsConfigurationSource corsSource(WebProperties web) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", web.cors());
        return source;
    }

    /** Answers 401 and counts the failure against the client's address. */
    private static AuthenticationEntryPoint authenticationRequired(ApiErrorWriter errors,
                                                                   AuthFailureLimit authFailures) {
        return (request, response, e) -> {
            authFailures.failed(request.getRemoteAddr());
            errors.write(request, response, ErrorCode.AUTHENTICATION_REQUIRED,
                    "A valid credential is required: send Authorization: Bearer <token> (or x-session-id in "
                            + "auth mode session)");
        };
    }

    @Bean
    TokenKeys tokenKeys(AuthProperties properties) {
        return new TokenKeys(properties);
    }

    @Bean
    JwtDecoder jwtDecoder(TokenKeys tokenKeys) {
        return tokenKeys.decoder();
    }
}

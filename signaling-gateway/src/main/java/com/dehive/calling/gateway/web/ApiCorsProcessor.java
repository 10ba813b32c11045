package com.dehive.calling.gateway.web;

import com.dehive.calling.shared.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;

import java.io.IOException;

/**
 * Spring's CORS decisions, with the refusal of a disallowed origin, method or header answered in the API's error
 * shape ({@code 403 FORBIDDEN}) instead of Spring's bare "Invalid CORS request". The refusal carries no
 * {@code Access-Control-Allow-*} header, so a browser keeps its page from reading it.
 */
public class ApiCorsProcessor extends DefaultCorsProcessor {

    private final ApiErrorWriter errors;

    public ApiCorsProcessor(ApiErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public boolean processRequest(CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (super.processRequest(config, request, response)) {
            return true;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        String detail = config.checkOrigin(origin) == null
                ? "Pages from " + origin + " may not call this service (CORS_ALLOWED_ORIGINS)"
                : "Cross-origin requests may use the methods " + config.getAllowedMethods() + " and the headers "
                        + config.getAllowedHeaders();
        errors.write(request, response, ErrorCode.FORBIDDEN, detail);
        return false;
    }

    /** Told by {@link #processRequest} instead. */
    @Override
    protected void rejectRequest(ServerHttpResponse response) {
    }
}

package com.dehive.calling.gateway.demo;

import com.dehive.calling.gateway.auth.AuthProperties;
import com.dehive.calling.gateway.socket.SocketProperties;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.view.RedirectView;

import java.util.Locale;
import java.util.Map;

/** The demo client at {@code /demo}: a page served by the service, and what it needs to find the socket server. */
@RestController
@Hidden
public class DemoController {

    private final SocketProperties socket;
    private final AuthProperties auth;

    public DemoController(SocketProperties socket, AuthProperties auth) {
        this.socket = socket;
        this.auth = auth;
    }

    @GetMapping({"/demo", "/demo/"})
    public RedirectView page() {
        return new RedirectView("/demo/index.html");
    }

    @GetMapping("/demo/config")
    public Map<String, Object> config() {
        return Map.of("socket_port", socket.port(),
                "auth_mode", auth.effectiveMode().name().toLowerCase(Locale.ROOT));
    }
}

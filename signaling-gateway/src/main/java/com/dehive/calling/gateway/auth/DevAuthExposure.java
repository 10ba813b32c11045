package com.dehive.calling.gateway.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Dev auth mode lets anyone mint a token for any user and any role, so it listens on loopback only, unless
 * {@code CALLING_DEV_AUTH_EXPOSED=true} says that exposing it is meant.
 */
final class DevAuthExposure {

    private static final Logger log = LoggerFactory.getLogger(DevAuthExposure.class);

    private DevAuthExposure() {
    }

    /**
     * @param httpAddress the REST server's bind address ({@code server.address}; null is every interface)
     * @param socketHost  the Socket.IO server's bind address
     * @throws Refused when either is not loopback and the exposure was not asked for
     */
    static void requireLoopback(AuthProperties auth, InetAddress httpAddress, String socketHost) {
        List<String> exposed = new ArrayList<>();
        if (httpAddress == null || !httpAddress.isLoopbackAddress()) {
            exposed.add((httpAddress == null ? "every interface" : httpAddress.getHostAddress()) + " (REST)");
        }
        if (!isLoopback(socketHost)) {
            exposed.add(socketHost + " (Socket.IO)");
        }
        if (exposed.isEmpty()) {
            return;
        }
        if (!auth.devExposed()) {
            throw new Refused(String.join(", ", exposed));
        }
        log.warn("event=dev_auth_exposed addresses=\"{}\" warning=\"DEV AUTH MODE ON A PUBLIC ADDRESS "
                + "(CALLING_DEV_AUTH_EXPOSED=true): anyone who reaches it can mint a token for any user and role\"",
                String.join(", ", exposed));
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The refusal to start, told by {@link DevAuthExposureFailureAnalyzer}. */
    static final class Refused extends IllegalStateException {

        static final String ACTION = "Configure real authentication: CALLING_JWT_SECRET or CALLING_JWT_JWKS_URI "
                + "(auth mode jwt), or DECODE_API_GATEWAY_HOST (auth mode session), and no CALLING_AUTH_MODE=dev. Or "
                + "listen on loopback only (CLOUD_HOST=127.0.0.1). Or, to expose dev tokens on purpose, set "
                + "CALLING_DEV_AUTH_EXPOSED=true.";

        final String description;

        Refused(String addresses) {
            super(describe(addresses) + " " + ACTION);
            this.description = describe(addresses);
        }

        private static String describe(String addresses) {
            return "Auth mode dev lets anyone mint a token for any user and role, and this service would listen on "
                    + addresses + ", not on loopback (CLOUD_HOST).";
        }
    }
}

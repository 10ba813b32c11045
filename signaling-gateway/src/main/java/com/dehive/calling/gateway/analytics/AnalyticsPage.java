package com.dehive.calling.gateway.analytics;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The page of charts at {@code /analytics}: static, served by the service; it signs in and reads
 * {@code /api/analytics/calls/daily} with the analyst's token.
 */
@RestController
@Hidden
public class AnalyticsPage {

    /** Keeps the query: {@code /analytics?from=…&to=…} opens on that range. */
    @GetMapping({"/analytics", "/analytics/"})
    public RedirectView page() {
        RedirectView page = new RedirectView("/analytics/index.html");
        page.setPropagateQueryParams(true);
        return page;
    }
}

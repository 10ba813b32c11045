package com.dehive.calling.gateway.auth;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Tells why dev auth mode refused to start, and what to set, in Spring Boot's "APPLICATION FAILED TO START". */
public class DevAuthExposureFailureAnalyzer extends AbstractFailureAnalyzer<DevAuthExposure.Refused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DevAuthExposure.Refused cause) {
        return new FailureAnalysis(cause.description, DevAuthExposure.Refused.ACTION, cause);
    }
}

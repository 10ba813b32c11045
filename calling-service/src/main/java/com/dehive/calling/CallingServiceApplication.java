package com.dehive.calling;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One jar runs every module: command side, query side and the signaling gateway. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CallingServiceApplication {

    public static void main(String[] args) {
        // Axon's update checker phones home; this service never does.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CallingServiceApplication.class, args);
    }
}

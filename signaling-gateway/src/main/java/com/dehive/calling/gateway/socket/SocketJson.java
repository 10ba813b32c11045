package com.dehive.calling.gateway.socket;

import com.corundumstudio.socketio.protocol.JacksonJsonSupport;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * netty-socketio's JSON: times as ISO-8601 strings (as on REST), null fields kept, so a wire record has the same
 * shape on both edges. Names come from each record's own {@code @JsonNaming}.
 */
public class SocketJson extends JacksonJsonSupport {

    /** A mapper that writes what netty-socketio would write on the wire (for messages that cross nodes). */
    public static ObjectMapper wireMapper() {
        ObjectMapper mapper = new ObjectMapper();
        configure(mapper);
        return mapper;
    }

    @Override
    protected void init(ObjectMapper objectMapper) {
        super.init(objectMapper);
        configure(objectMapper);
    }

    private static void configure(ObjectMapper objectMapper) {
        objectMapper.registerModule(new JavaTimeModule());
        objectMapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        objectMapper.setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }
}

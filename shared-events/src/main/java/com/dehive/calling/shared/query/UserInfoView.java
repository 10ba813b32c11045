package com.dehive.calling.shared.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** {@code caller_info} / {@code callee_info}: the wire shape of a user's profile. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UserInfoView(@JsonProperty("_id") String id, String username, String displayName,
                           String avatarIpfsHash) {
}

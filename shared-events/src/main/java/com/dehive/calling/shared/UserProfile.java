package com.dehive.calling.shared;

/**
 * Who a user is, as their credential says. Carried by events so that every read model can show it;
 * the optional fields are null when the credential does not say.
 */
public record UserProfile(UserId id, String username, String displayName, String avatarIpfsHash) {

    public UserProfile {
        if (id == null) {
            throw new CallingException(ErrorCode.VALIDATION_FAILED, "a user profile needs an id");
        }
    }

    public static UserProfile idOnly(UserId id) {
        return new UserProfile(id, null, null, null);
    }
}

package com.dehive.calling.shared.call;

/** Which side of a call a participant is on. */
public enum CallParty {
    CALLER, CALLEE
}

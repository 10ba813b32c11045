package com.dehive.calling.shared.query;

import java.util.List;

public record LiveCallView(String callId, List<String> participants) {
}

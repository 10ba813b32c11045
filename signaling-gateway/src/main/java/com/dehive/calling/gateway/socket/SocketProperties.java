package com.dehive.calling.gateway.socket;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The Socket.IO server ({@code SOCKET_IO_PORT}, namespace {@code /rtc}). {@code maxPayloadBytes} bounds one
 * client message (larger ones are refused with PAYLOAD_TOO_LARGE); frames up to {@code maxFrameBytes} are read so
 * that such a refusal can be told to the client instead of closing its socket. The flood limit is a token bucket
 * per socket: {@code floodBurst} messages at once, refilled at {@code floodPerSecond}. {@code ioThreads} is the
 * number of Netty I/O threads; 0 means one per core, at least two.
 */
@Validated
@ConfigurationProperties("calling.socket")
public record SocketProperties(@NotBlank String host, @Min(0) @Max(65535) int port,
                               @Min(1024) int maxPayloadBytes, @Min(1024) int maxFrameBytes,
                               @Min(1) int floodBurst, @Min(1) int floodPerSecond, @Min(0) int ioThreads) {
}

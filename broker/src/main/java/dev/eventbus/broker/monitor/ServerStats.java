package dev.eventbus.broker.monitor;

/** Server-wide counters at one instant (payload bytes, CRLF excluded, headers included, as nats-server counts). */
public record ServerStats(long inMsgs, long outMsgs, long inBytes, long outBytes, long slowConsumers,
                          long totalConnections, int connections, int subscriptions) {}

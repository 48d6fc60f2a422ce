package dev.eventbus.broker.monitor;

/** nats-server's {@code SubDetail}: {@code account} is null on /connz, {@code max} 0 when no auto-unsubscribe. */
public record SubDetail(String account, String subject, String qgroup, String sid, long msgs, long max, long cid) {}

package dev.eventbus.broker.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds {@link ConnInfo} snapshots for tests without spelling out all 24 components. */
final class Conns {
    private long cid;
    private String kind = "Client";
    private String type = "nats";
    private String ip = "127.0.0.1";
    private int port = 50000;
    private Instant start;
    private Instant lastActivity;
    private Instant stop;
    private String reason;
    private Duration rtt;
    private long pendingBytes;
    private long inMsgs;
    private long outMsgs;
    private long inBytes;
    private long outBytes;
    private int numSubs;
    private String name;
    private String lang;
    private String version;
    private String tlsVersion;
    private String tlsCipherSuite;
    private String authorizedUser;
    private String account;
    private List<SubDetail> subs;

    private Conns() {}

    /** An open connection that started and was last active at {@code start}. */
    static Conns open(long cid, Instant start) {
        Conns b = new Conns();
        b.cid = cid;
        b.port = 50000 + (int) cid;
        b.start = start;
        b.lastActivity = start;
        return b;
    }

    static Conns with(ConnInfo c) {
        Conns b = new Conns();
        b.cid = c.cid(); b.kind = c.kind(); b.type = c.type(); b.ip = c.ip(); b.port = c.port(); b.start = c.start();
        b.lastActivity = c.lastActivity(); b.stop = c.stop(); b.reason = c.reason(); b.rtt = c.rtt();
        b.pendingBytes = c.pendingBytes(); b.inMsgs = c.inMsgs(); b.outMsgs = c.outMsgs(); b.inBytes = c.inBytes();
        b.outBytes = c.outBytes(); b.numSubs = c.numSubs(); b.name = c.name(); b.lang = c.lang();
        b.version = c.version(); b.tlsVersion = c.tlsVersion(); b.tlsCipherSuite = c.tlsCipherSuite();
        b.authorizedUser = c.authorizedUser(); b.account = c.account(); b.subs = c.subs();
        return b;
    }

    Conns lastActivity(Instant t) { lastActivity = t; return this; }
    Conns closedAt(Instant t, String why) { stop = t; reason = why; return this; }
    Conns rtt(Duration d) { rtt = d; return this; }
    Conns pending(long n) { pendingBytes = n; return this; }
    Conns msgs(long in, long out) { inMsgs = in; outMsgs = out; return this; }
    Conns bytes(long in, long out) { inBytes = in; outBytes = out; return this; }
    Conns client(String n, String l, String v) { name = n; lang = l; version = v; return this; }
    Conns user(String u) { authorizedUser = u; return this; }
    Conns account(String a) { account = a; return this; }
    Conns tls(String v, String suite) { tlsVersion = v; tlsCipherSuite = suite; return this; }

    Conns subs(List<SubDetail> s) {
        subs = s;
        if (s != null) numSubs = s.size();
        return this;
    }

    ConnInfo build() {
        return new ConnInfo(cid, kind, type, ip, port, start, lastActivity, stop, reason, rtt, pendingBytes, inMsgs,
                outMsgs, inBytes, outBytes, numSubs, name, lang, version, tlsVersion, tlsCipherSuite, authorizedUser,
                account, subs);
    }
}

package dev.eventbus.broker.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventbus.broker.BrokerOptions;
import dev.eventbus.broker.json.JsonReader;
import dev.eventbus.broker.subject.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorTest {
    static final Instant NOW = Instant.parse("2023-01-10T15:04:05.12345Z");
    static final Instant START = NOW.minus(Duration.ofSeconds(3661));

    final FakeMonitorSource source = new FakeMonitorSource(START);
    final Monitor monitor = new Monitor(source, Clock.fixed(NOW, ZoneOffset.UTC));

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) { return (Map<String, Object>) JsonReader.parse(json); }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> connections(Map<String, Object> connz) {
        return (List<Map<String, Object>>) connz.get("connections");
    }

    static List<Object> cids(Connz c) {
        List<Object> out = new ArrayList<>();
        for (ConnInfo ci : c.connections()) out.add(ci.cid());
        return out;
    }

    static ConnzOptions connzQuery(String query) { return ConnzOptions.fromQuery(QueryParams.parse(query)); }

    static SubszOptions subszQuery(String query) { return SubszOptions.fromQuery(QueryParams.parse(query)); }

    @Nested
    class VarzTest {
        @Test
        void hasNatsServersKeysInOrder() {
            List<String> keys = new ArrayList<>(parse(MonitorJson.varz(monitor.varz())).keySet());
            assertThat(keys).containsExactly("server_id", "server_name", "version", "proto", "go", "host", "port",
                    "max_connections", "max_subscriptions", "ping_interval", "ping_max", "http_host", "http_port",
                    "http_base_path", "https_port", "auth_timeout", "max_control_line", "max_payload", "max_pending",
                    "cluster", "gateway", "leaf", "mqtt", "websocket", "jetstream", "tls_timeout", "write_deadline", "start",
                    "now", "uptime", "mem", "cores", "gomaxprocs", "cpu", "connections", "total_connections",
                    "routes", "remotes", "leafnodes", "in_msgs", "out_msgs", "in_bytes", "out_bytes",
                    "slow_consumers", "subscriptions", "http_req_stats", "config_load_time");
        }

        @Test
        void encodesValuesAsNatsServerDoes() {
            source.stats(new ServerStats(10, 20, 300, 400, 1, 7, 2, 5));
            monitor.countRequest("/varz");
            monitor.countRequest("/connz");
            monitor.countRequest("/varz");
            String json = MonitorJson.varz(monitor.varz());
            Map<String, Object> v = parse(json);
            assertThat(v.get("server_id")).isEqualTo(FakeMonitorSource.SERVER_ID);
            assertThat(v.get("server_name")).isEqualTo(FakeMonitorSource.SERVER_ID);
            assertThat(v.get("version")).isEqualTo("2.9.10");
            assertThat(v.get("proto")).isEqualTo(1L);
            assertThat((String) v.get("go")).startsWith("java").isEqualTo("java" + System.getProperty("java.version"));
            assertThat(v.get("host")).isEqualTo("0.0.0.0");
            assertThat(v.get("port")).isEqualTo(4222L);
            assertThat(v.get("max_connections")).isEqualTo(65536L);
            assertThat(v.get("http_port")).isEqualTo(8222L);
            assertThat(v.get("http_base_path")).isEqualTo("");
            assertThat(v.get("max_pending")).isEqualTo(67108864L);
            assertThat(v.get("cluster")).isEqualTo(Map.of());
            assertThat(v.get("jetstream")).isEqualTo(Map.of());
            assertThat(v.get("start")).isEqualTo("2023-01-10T14:03:04.12345Z");
            assertThat(v.get("now")).isEqualTo("2023-01-10T15:04:05.12345Z");
            assertThat(v.get("config_load_time")).isEqualTo(v.get("start"));
            assertThat(v.get("uptime")).isEqualTo("1h1m1s");
            assertThat((Long) v.get("mem")).isPositive();
            assertThat(v.get("cores")).isEqualTo((long) Runtime.getRuntime().availableProcessors());
            assertThat(v.get("cpu")).isInstanceOfAny(Long.class, Double.class);
            assertThat(v.get("in_msgs")).isEqualTo(10L);
            assertThat(v.get("out_msgs")).isEqualTo(20L);
            assertThat(v.get("in_bytes")).isEqualTo(300L);
            assertThat(v.get("out_bytes")).isEqualTo(400L);
            assertThat(v.get("slow_consumers")).isEqualTo(1L);
            assertThat(v.get("total_connections")).isEqualTo(7L);
            assertThat(v.get("connections")).isEqualTo(2L);
            assertThat(v.get("subscriptions")).isEqualTo(5L);
            assertThat(v.get("http_req_stats")).isEqualTo(Map.of("/connz", 1L, "/varz", 2L));
            // Go's integer-nanosecond and float-second encodings, exactly as written on the wire
            assertThat(json).contains("\"ping_interval\": 120000000000,", "\"write_deadline\": 10000000000,",
                    "\"auth_timeout\": 2,", "\"tls_timeout\": 2,", "\"cluster\": {},",
                    "\"http_req_stats\": {\n    \"/connz\": 1,\n    \"/varz\": 2\n  },");
        }

        @Test
        void optionalKeysAppearWhenSet() {
            source.options(BrokerOptions.builder().serverName("east-1").maxSubscriptions(10)
                    .authenticator(new dev.eventbus.broker.auth.TokenAuthenticator("s3cret"))
                    .authTimeout(Duration.ofMillis(500)).build());
            Map<String, Object> v = parse(MonitorJson.varz(monitor.varz()));
            assertThat(v.get("server_name")).isEqualTo("east-1");
            assertThat(v.get("auth_required")).isEqualTo(true);
            assertThat(v.get("max_subscriptions")).isEqualTo(10L);
            assertThat(v.get("auth_timeout")).isEqualTo(0.5);
            List<String> keys = new ArrayList<>(v.keySet());
            assertThat(keys.indexOf("auth_required")).isEqualTo(keys.indexOf("port") + 1);
            assertThat(keys.indexOf("max_subscriptions")).isEqualTo(keys.indexOf("max_connections") + 1);
        }

        @Test
        void httpReqStatsIsEmptyObjectBeforeAnyRequest() {
            assertThat(MonitorJson.varz(monitor.varz())).contains("\"http_req_stats\": {},");
        }
    }

    @Nested
    class ConnzTest {
        final Instant t0 = NOW.minusSeconds(100);

        void threeOpenOneClosed() {
            source.open(Conns.open(1, t0).lastActivity(t0.plusSeconds(10)).msgs(5, 1).bytes(50, 10).pending(3)
                    .client("alpha", "java", "2.26.2").user("alice").build());
            source.open(Conns.open(2, t0.plusSeconds(20)).lastActivity(t0.plusSeconds(90)).msgs(1, 9).bytes(10, 90)
                    .user("bob").account("ACME").subs(List.of(
                            new SubDetail(null, "foo.*", null, "1", 3, 0, 2),
                            new SubDetail(null, "bar", "workers", "2", 0, 5, 2))).build());
            source.open(Conns.open(3, t0.plusSeconds(50)).lastActivity(t0.plusSeconds(51)).msgs(2, 2).bytes(20, 20)
                    .rtt(Duration.ofNanos(607_123)).build());
            source.closed(Conns.open(4, t0.minusSeconds(30)).lastActivity(t0.minusSeconds(10))
                    .closedAt(t0.minusSeconds(5), "Client Closed").user("alice").build());
        }

        @Test
        void emptyServerHasEmptyArrayNotNull() {
            String json = MonitorJson.connz(monitor.connz(ConnzOptions.DEFAULT));
            assertThat(json).isEqualTo("{\n"
                    + "  \"server_id\": \"" + FakeMonitorSource.SERVER_ID + "\",\n"
                    + "  \"now\": \"2023-01-10T15:04:05.12345Z\",\n"
                    + "  \"num_connections\": 0,\n"
                    + "  \"total\": 0,\n"
                    + "  \"offset\": 0,\n"
                    + "  \"limit\": 1024,\n"
                    + "  \"connections\": []\n"
                    + "}");
        }

        @Test
        void rendersConnInfoKeysAndEncodings() {
            threeOpenOneClosed();
            Map<String, Object> c = connections(parse(MonitorJson.connz(monitor.connz(ConnzOptions.DEFAULT)))).get(0);
            assertThat(new ArrayList<>(c.keySet())).containsExactly("cid", "kind", "type", "ip", "port", "start",
                    "last_activity", "rtt", "uptime", "idle", "pending_bytes", "in_msgs", "out_msgs", "in_bytes",
                    "out_bytes", "subscriptions", "name", "lang", "version");
            assertThat(c.get("kind")).isEqualTo("Client");
            assertThat(c.get("type")).isEqualTo("nats");
            assertThat(c.get("start")).isEqualTo("2023-01-10T15:02:25.12345Z");
            assertThat(c.get("rtt")).isEqualTo("0s");
            assertThat(c.get("uptime")).isEqualTo("1m40s");
            assertThat(c.get("idle")).isEqualTo("1m30s");
            assertThat(c.get("pending_bytes")).isEqualTo(3L);
        }

        @Test
        void rttBelowOneMillisecondIsTruncatedToMicroseconds() {
            threeOpenOneClosed();
            Map<String, Object> c = connections(parse(MonitorJson.connz(monitor.connz(connzQuery("cid=3"))))).get(0);
            assertThat(c.get("rtt")).isEqualTo("607\u00b5s");
            assertThat(MonitorJson.rtt(Duration.ofNanos(1_234_567))).isEqualTo("1.234567ms");
            assertThat(MonitorJson.rtt(Duration.ofNanos(999))).isEqualTo("999ns");
        }

        @Test
        void closedConnectionsShowStopReasonAndTimesUpToStop() {
            threeOpenOneClosed();
            Connz connz = monitor.connz(connzQuery("state=closed"));
            assertThat(connz.total()).isEqualTo(1);
            Map<String, Object> c = connections(parse(MonitorJson.connz(connz))).get(0);
            List<String> keys = new ArrayList<>(c.keySet());
            assertThat(keys.subList(0, 11)).containsExactly("cid", "kind", "type", "ip", "port", "start",
                    "last_activity", "stop", "reason", "rtt", "uptime");
            assertThat(c.get("reason")).isEqualTo("Client Closed");
            assertThat(c.get("uptime")).isEqualTo("25s");
            assertThat(c.get("idle")).isEqualTo("5s");
        }

        @Test
        void authAddsUserAndNonGlobalAccount() {
            threeOpenOneClosed();
            List<Map<String, Object>> plain = connections(parse(MonitorJson.connz(monitor.connz(ConnzOptions.DEFAULT))));
            assertThat(plain).allSatisfy(c -> assertThat(c).doesNotContainKeys("authorized_user", "account"));
            List<Map<String, Object>> auth = connections(parse(MonitorJson.connz(monitor.connz(connzQuery("auth=1")))));
            assertThat(auth.get(0)).containsEntry("authorized_user", "alice").doesNotContainKey("account");
            assertThat(auth.get(1)).containsEntry("authorized_user", "bob").containsEntry("account", "ACME");
            assertThat(auth.get(2)).doesNotContainKeys("authorized_user", "account");
        }

        @Test
        void subsListsSubjectsAndDetailListsSubDetails() {
            threeOpenOneClosed();
            String subs = MonitorJson.connz(monitor.connz(connzQuery("subs=true")));
            Map<String, Object> c2 = connections(parse(subs)).get(1);
            assertThat(c2.get("subscriptions_list")).isEqualTo(List.of("foo.*", "bar"));
            assertThat(connections(parse(subs)).get(0)).doesNotContainKey("subscriptions_list");

            String detail = MonitorJson.connz(monitor.connz(connzQuery("subs=detail")));
            assertThat(connections(parse(detail)).get(1).get("subscriptions_list_detail")).isEqualTo(List.of(
                    Map.of("subject", "foo.*", "sid", "1", "msgs", 3L, "cid", 2L),
                    Map.of("subject", "bar", "qgroup", "workers", "sid", "2", "msgs", 0L, "max", 5L, "cid", 2L)));
            assertThat(detail).contains("{\n          \"subject\": \"bar\",\n          \"qgroup\": \"workers\",");
        }

        @ParameterizedTest
        @CsvSource({
                "'',              1 2 3",
                "sort=cid,        1 2 3",
                "sort=start,      1 2 3",
                "sort=msgs_from,  1 3 2",
                "sort=msgs_to,    2 3 1",
                "sort=bytes_from, 1 3 2",
                "sort=bytes_to,   2 3 1",
                "sort=pending,    1 2 3",
                "sort=subs,       2 1 3",
                "sort=last,       2 3 1",
                "sort=idle,       2 1 3",
                "sort=uptime,     3 2 1",
        })
        void sortsLikeNatsServer(String query, String expected) {
            threeOpenOneClosed();
            List<Object> want = new ArrayList<>();
            for (String s : expected.split(" ")) want.add(Long.parseLong(s));
            assertThat(cids(monitor.connz(connzQuery(query)))).isEqualTo(want);
        }

        @Test
        void closedOnlySortsByStopAndReason() {
            threeOpenOneClosed();
            source.closed(Conns.open(5, t0).closedAt(t0.plusSeconds(1), "Authentication Timeout").build());
            assertThat(cids(monitor.connz(connzQuery("state=closed&sort=stop")))).containsExactly(5L, 4L);
            assertThat(cids(monitor.connz(connzQuery("state=closed&sort=reason")))).containsExactly(5L, 4L);
            assertThatThrownBy(() -> monitor.connz(connzQuery("sort=stop")))
                    .isInstanceOf(MonitorException.class).hasMessage("sort by stop only valid on closed connections");
            assertThatThrownBy(() -> monitor.connz(connzQuery("state=all&sort=reason")))
                    .isInstanceOf(MonitorException.class)
                    .hasMessage("sort by reason only valid on closed connections");
        }

        @Test
        void uptimeSortCountsClosedConnectionsUpToTheirStop() {
            threeOpenOneClosed();
            assertThat(cids(monitor.connz(connzQuery("state=all&sort=uptime")))).containsExactly(4L, 3L, 2L, 1L);
        }

        @Test
        void stateAllMergesInCidOrder() {
            threeOpenOneClosed();
            Connz all = monitor.connz(connzQuery("state=ANY"));
            assertThat(cids(all)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(all.total()).isEqualTo(4);
        }

        @Test
        void pagesWithOffsetAndLimit() {
            threeOpenOneClosed();
            Connz page = monitor.connz(connzQuery("offset=1&limit=1"));
            assertThat(cids(page)).containsExactly(2L);
            assertThat(page.numConnections()).isEqualTo(1);
            assertThat(page.total()).isEqualTo(3);
            assertThat(page.offset()).isEqualTo(1);
            assertThat(page.limit()).isEqualTo(1);

            Connz past = monitor.connz(connzQuery("offset=10"));
            assertThat(past.connections()).isEmpty();
            assertThat(MonitorJson.connz(past)).contains("\"connections\": []");

            Connz defaults = monitor.connz(connzQuery("offset=-5&limit=-2"));
            assertThat(defaults.offset()).isZero();
            assertThat(defaults.limit()).isEqualTo(1024);

            assertThat(monitor.connz(connzQuery("limit=3000000000")).limit()).isEqualTo(3_000_000_000L);
            assertThat(cids(monitor.connz(connzQuery("offset=9223372036854775807&limit=9223372036854775807"))))
                    .isEmpty();
        }

        @Test
        void cidSelectsOneConnectionAndForcesLimitOne() {
            threeOpenOneClosed();
            Connz one = monitor.connz(connzQuery("cid=2"));
            assertThat(cids(one)).containsExactly(2L);
            assertThat(one.limit()).isEqualTo(1);
            assertThat(one.total()).isEqualTo(3);
            assertThat(cids(monitor.connz(connzQuery("cid=99")))).isEmpty();
            assertThat(cids(monitor.connz(connzQuery("cid=4&state=closed")))).containsExactly(4L);
        }

        @Test
        void cidWithStateAllLooksOnlyAtClosedConnections() {
            // nats-server 2.9.10: /connz?state=all&cid=<open cid> finds nothing
            threeOpenOneClosed();
            assertThat(cids(monitor.connz(connzQuery("state=all&cid=2")))).isEmpty();
            assertThat(cids(monitor.connz(connzQuery("state=all&cid=4")))).containsExactly(4L);
        }

        @Test
        void userFilterKeepsTheUnfilteredTotal() {
            threeOpenOneClosed();
            Connz alice = monitor.connz(connzQuery("user=alice"));
            assertThat(cids(alice)).containsExactly(1L);
            assertThat(alice.total()).isEqualTo(3);
            assertThat(cids(monitor.connz(connzQuery("user=alice&state=all")))).containsExactly(1L, 4L);
        }

        @Test
        void mqttClientFilterMatchesNothingWithoutMqtt() {
            threeOpenOneClosed();
            assertThat(cids(monitor.connz(connzQuery("mqtt_client=x")))).isEmpty();
        }

        @Test
        void accountFilter() {
            threeOpenOneClosed();
            Connz acme = monitor.connz(connzQuery("acc=ACME"));
            assertThat(cids(acme)).containsExactly(2L);
            assertThat(acme.total()).isEqualTo(1);
            Connz global = monitor.connz(connzQuery("acc=$G&state=all"));
            // closed connections of the global account carry no account name in nats-server, so they drop out
            assertThat(cids(global)).containsExactly(1L, 3L);
            assertThat(global.total()).isEqualTo(2);
        }

        @Test
        void unknownAccountGivesEmptyServerIdAndNullConnections() {
            threeOpenOneClosed();
            Connz none = monitor.connz(connzQuery("acc=nope"));
            assertThat(MonitorJson.connz(none)).isEqualTo("{\n"
                    + "  \"server_id\": \"\",\n"
                    + "  \"now\": \"2023-01-10T15:04:05.12345Z\",\n"
                    + "  \"num_connections\": 0,\n"
                    + "  \"total\": 0,\n"
                    + "  \"offset\": 0,\n"
                    + "  \"limit\": 1024,\n"
                    + "  \"connections\": null\n"
                    + "}");
        }

        @Test
        void escapesClientSuppliedStrings() {
            source.open(Conns.open(1, t0).client("a<b>&", "go", "1.0").build());
            assertThat(MonitorJson.connz(monitor.connz(ConnzOptions.DEFAULT)))
                    .contains("\"name\": \"a\\u003cb\\u003e\\u0026\"");
        }
    }

    @Nested
    class ConnzQueryTest {
        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "sort=foo          | invalid sorting option: foo",
                "sort=CID          | invalid sorting option: CID",
                "auth=x            | Error decoding boolean for 'auth': strconv.ParseBool: parsing \"x\": invalid syntax",
                "subs=x            | Error decoding boolean for 'subs': strconv.ParseBool: parsing \"x\": invalid syntax",
                "limit=x           | Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax",
                "offset=x          | Error decoding int for 'offset': strconv.Atoi: parsing \"x\": invalid syntax",
                "limit=+3          | Error decoding int for 'limit': strconv.Atoi: parsing \" 3\": invalid syntax",
                "limit=1_0         | Error decoding int for 'limit': strconv.Atoi: parsing \"1_0\": invalid syntax",
                "limit=-           | Error decoding int for 'limit': strconv.Atoi: parsing \"-\": invalid syntax",
                "offset=99999999999999999999 | Error decoding int for 'offset': strconv.Atoi: parsing \"99999999999999999999\": value out of range",
                "offset=-9223372036854775809 | Error decoding int for 'offset': strconv.Atoi: parsing \"-9223372036854775809\": value out of range",
                "cid=x             | Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"x\": invalid syntax",
                "cid=-1            | Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid syntax",
                "cid=%2B4          | Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"+4\": invalid syntax",
                "cid=18446744073709551616 | Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
                "state=x           | Error decoding state for x",
                "auth=%22%0A       | Error decoding boolean for 'auth': strconv.ParseBool: parsing \"\\\"\\n\": invalid syntax",
                "sort=foo&auth=x   | Error decoding boolean for 'auth': strconv.ParseBool: parsing \"x\": invalid syntax",
                "sort=foo&state=x  | Error decoding state for x",
        })
        void rejectsWithNatsServersMessages(String query, String message) {
            assertThatThrownBy(() -> connzQuery(query)).isInstanceOf(MonitorException.class).hasMessage(message);
        }

        @Test
        void acceptsGoBooleansAndIgnoresEmptyValues() {
            for (String t : List.of("1", "t", "T", "TRUE", "true", "True")) {
                assertThat(connzQuery("auth=" + t).auth()).as(t).isTrue();
            }
            for (String f : List.of("0", "f", "F", "FALSE", "false", "False", "")) {
                assertThat(connzQuery("auth=" + f).auth()).as(f).isFalse();
            }
            ConnzOptions o = connzQuery("subs=Detail&state=Closed&cid=&limit=&sort=&offset=-3");
            assertThat(o.subsDetail()).isTrue();
            assertThat(o.subs()).isFalse();
            assertThat(o.state()).isEqualTo(ConnState.CLOSED);
            assertThat(o.sort()).isEqualTo(ConnSort.CID);
            assertThat(o.offset()).isEqualTo(-3);
            assertThat(connzQuery("cid=18446744073709551615").cid()).isEqualTo(-1L);
        }

        @Test
        void readsQueriesLikeGo() {
            QueryParams q = QueryParams.parse("a=1&a=2&b=x+y&c=%zz&d=1;e=2&&f&g=%41");
            assertThat(q.get("a")).isEqualTo("1");
            assertThat(q.get("b")).isEqualTo("x y");
            assertThat(q.get("c")).isEmpty();
            assertThat(q.get("d")).isEmpty();
            assertThat(q.get("e")).isEmpty();
            assertThat(q.get("f")).isEmpty();
            assertThat(q.get("g")).isEqualTo("A");
            assertThat(q.get("missing")).isEmpty();
        }
    }

    @Nested
    class SubszTest {
        void subscriptions() {
            source.subscribe(5, "x.*", null, "9");
            source.subscribe(4, "foo", null, "1");
            Subscription bar = source.subscribe(4, "bar", "q", "2");
            bar.max(5);
            source.subscribe(4, "foo.>", null, "3").countDelivery();
        }

        @Test
        void withoutSubsIsOnlyTheStatsObject() {
            subscriptions();
            source.sublist().match("foo");
            source.sublist().match("foo");
            String json = MonitorJson.subsz(monitor.subsz(SubszOptions.DEFAULT));
            assertThat(json).isEqualTo("{\n"
                    + "  \"num_subscriptions\": 4,\n"
                    + "  \"num_cache\": 1,\n"
                    + "  \"num_inserts\": 4,\n"
                    + "  \"num_removes\": 0,\n"
                    + "  \"num_matches\": 2,\n"
                    + "  \"cache_hit_rate\": 0.5,\n"
                    + "  \"max_fanout\": 1,\n"
                    + "  \"avg_fanout\": 1\n"
                    + "}");
        }

        @Test
        void withSubsListsThemWithAccount() {
            subscriptions();
            Subsz s = monitor.subsz(subszQuery("subs=1"));
            assertThat(s.total()).isEqualTo(4);
            Map<String, Object> json = parse(MonitorJson.subsz(s));
            assertThat(new ArrayList<>(json.keySet())).containsExactly("server_id", "now", "num_subscriptions",
                    "num_cache", "num_inserts", "num_removes", "num_matches", "cache_hit_rate", "max_fanout",
                    "avg_fanout", "total", "offset", "limit", "subscriptions_list");
            assertThat(s.subs()).extracting(SubDetail::cid).containsExactly(4L, 4L, 4L, 5L);
            assertThat(s.subs()).contains(new SubDetail("$G", "bar", "q", "2", 0, 5, 4),
                    new SubDetail("$G", "foo.>", null, "3", 1, 0, 4));
        }

        @Test
        void testSubjectFiltersBySubscriptionsItWouldReach() {
            subscriptions();
            Subsz s = monitor.subsz(subszQuery("subs=true&test=foo.bar"));
            assertThat(s.subs()).extracting(SubDetail::subject).containsExactly("foo.>");
            assertThat(monitor.subsz(subszQuery("subs=true&test=x.y")).subs())
                    .extracting(SubDetail::subject).containsExactly("x.*");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "test=foo.*     | invalid test subject, must be valid publish subject: foo.*",
                "test=foo..bar  | invalid test subject, must be valid publish subject: foo..bar",
                "test=>         | invalid test subject, must be valid publish subject: >",
                "subs=0&test=.a | invalid test subject, must be valid publish subject: .a",
                "subs=x         | Error decoding boolean for 'subs': strconv.ParseBool: parsing \"x\": invalid syntax",
                "limit=x        | Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax",
                "offset=x       | Error decoding int for 'offset': strconv.Atoi: parsing \"x\": invalid syntax",
        })
        void rejectsWithNatsServersMessages(String query, String message) {
            assertThatThrownBy(() -> monitor.subsz(subszQuery(query)))
                    .isInstanceOf(MonitorException.class).hasMessage(message);
        }

        @Test
        void pagingAndEmptyPagesFallBackToStats() {
            subscriptions();
            Subsz page = monitor.subsz(subszQuery("subs=1&offset=1&limit=2"));
            assertThat(page.subs()).hasSize(2);
            assertThat(page.total()).isEqualTo(2);
            assertThat(page.offset()).isEqualTo(1);
            assertThat(page.limit()).isEqualTo(2);

            Subsz past = monitor.subsz(subszQuery("subs=1&offset=1000"));
            assertThat(past.statsOnly()).isTrue();
            assertThat(parse(MonitorJson.subsz(past))).doesNotContainKeys("server_id", "subscriptions_list");

            Subsz nothing = monitor.subsz(subszQuery("subs=1&test=nobody.listens"));
            assertThat(MonitorJson.subsz(nothing)).startsWith("{\n  \"num_subscriptions\": 4,");

            Subsz negative = monitor.subsz(subszQuery("subs=1&offset=-3&limit=-1"));
            assertThat(negative.offset()).isZero();
            assertThat(negative.limit()).isEqualTo(1024);
        }

        @Test
        void otherAccountsHaveNoSubscriptions() {
            subscriptions();
            Subsz other = monitor.subsz(subszQuery("subs=1&acc=foo"));
            assertThat(other.stats().numSubscriptions()).isZero();
            assertThat(other.statsOnly()).isTrue();
            assertThat(monitor.subsz(subszQuery("subs=1&acc=$G")).subs()).hasSize(4);
        }

        @Test
        void emptySublistStatsAreZeros() {
            assertThat(MonitorJson.subsz(monitor.subsz(SubszOptions.DEFAULT))).isEqualTo("{\n"
                    + "  \"num_subscriptions\": 0,\n"
                    + "  \"num_cache\": 0,\n"
                    + "  \"num_inserts\": 0,\n"
                    + "  \"num_removes\": 0,\n"
                    + "  \"num_matches\": 0,\n"
                    + "  \"cache_hit_rate\": 0,\n"
                    + "  \"max_fanout\": 0,\n"
                    + "  \"avg_fanout\": 0\n"
                    + "}");
        }
    }

    @Nested
    class HealthzTest {
        @Test
        void okIsCompact() {
            Healthz h = monitor.healthz();
            assertThat(h.ok()).isTrue();
            assertThat(MonitorJson.healthz(h)).isEqualTo("{\"status\":\"ok\"}");
        }

        @Test
        void notReadyIsAnErrorWithNatsServersText() {
            source.ready(false);
            Healthz h = monitor.healthz();
            assertThat(h.ok()).isFalse();
            assertThat(MonitorJson.healthz(h)).isEqualTo(
                    "{\"status\":\"error\",\"error\":\"failed to be ready for connections after 1ms: server\"}");
        }
    }
}

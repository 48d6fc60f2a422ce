package dev.eventbus.broker.cli;

import dev.eventbus.broker.BrokerOptions;

/** nats-server-compatible command-line flags for the standalone broker; an unknown flag is an error. */
record BrokerFlags(String host, int port, int httpPort, String name, String user, String pass, String token,
                   Integer maxPayload, boolean debug, boolean trace, boolean version, boolean help,
                   String gatewayName, String gatewayListen, java.util.List<String> gatewayRemotes,
                   boolean tls, String tlsCert, String tlsKey, String tlsCaCert, boolean tlsVerify, boolean logJson,
                   String gatewayTlsCert, String gatewayTlsKey, String gatewayTlsCaCert, Limits limits) {

    /** The resource limits a flag set; null where the flag was not given (the option's default holds). */
    record Limits(Integer maxConnections, Integer maxSubscriptions, Integer maxPendingAuth) {}

    static final String USAGE = """
            Usage: eventbus broker [options]

            Server Options:
                -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
                -p, --port <port>                Use port for clients (default: 4222)
                -n, --name <server_name>         Server name (default: auto)
                -m, --http_port <port>           Use port for http monitoring
                    --max_payload <size>         Maximum message payload in bytes (default: 1048576)
                    --max_connections <n>        Maximum client connections (default: 65536)
                    --max_subscriptions <n>      Maximum subscriptions per connection, 0 = unlimited (default: 65536)
                    --max_pending_auth <n>       Maximum connections not yet authenticated (default: 512)

            TLS Options:
                    --tls                        Enable TLS, do not verify clients (default: false)
                    --tlscert <file>             Server certificate file (PEM)
                    --tlskey <file>              Private key for server certificate (PEM)
                    --tlsverify                  Enable TLS, verify client certificates
                    --tlscacert <file>           Client certificate CA for verification

            Gateway Options:
                    --gateway_name <name>        Gateway (cluster) name of this server
                    --gateway_listen <host:port> Listen for gateway connections (default: 0.0.0.0:7222)
                    --gateway_remote <name=url>  A remote gateway to dial (repeatable)
                    --gateway_tlscert <file>     Gateway certificate (PEM); gateway TLS is always mutual
                    --gateway_tlskey <file>      Private key of the gateway certificate (PEM)
                    --gateway_tlscacert <file>   CA that signs the other gateways' certificates (PEM)

            Logging Options:
                -D, --debug                      Enable debugging output
                -V, --trace                      Trace the raw protocol
                -DV                              Debug and trace

            Authorization Options:
                    --user <user>                User required for connections
                    --pass <password>            Password required for connections
                    --auth <token>               Authorization token required for connections

            Common Options:
                -h, --help                       Show this message
                -v, --version                    Show version
            """;

    private static final java.util.Set<String> VALUE_FLAGS = java.util.Set.of(
            "-a", "--addr", "--net", "-addr", "-net", "-p", "--port", "-port", "-m", "--http_port", "-http_port",
            "-n", "--name", "--server_name", "-name", "-server_name", "--user", "-user", "--pass", "-pass",
            "--auth", "-auth", "--max_payload", "-max_payload", "--max_connections", "-max_connections",
            "--max_subscriptions", "-max_subscriptions", "--max_pending_auth", "--gateway_name", "--gateway_listen", "--gateway_remote",
            "--gateway_tlscert", "--gateway_tlskey", "--gateway_tlscacert",
            "--tlscert", "-tlscert", "--tlskey", "-tlskey", "--tlscacert", "-tlscacert");

    static BrokerFlags parse(String[] args) {
        String host = BrokerOptions.DEFAULT_HOST;
        int port = BrokerOptions.DEFAULT_PORT;
        int httpPort = -1;
        String name = null, user = null, pass = null, token = null;
        Integer maxPayload = null, maxConnections = null, maxSubscriptions = null, maxPendingAuth = null;
        String gatewayName = null, gatewayListen = null;
        boolean tls = false, tlsVerify = false, logJson = false;
        String tlsCert = null, tlsKey = null, tlsCaCert = null;
        String gwCert = null, gwKey = null, gwCa = null;
        java.util.List<String> gatewayRemotes = new java.util.ArrayList<>();
        boolean debug = false, trace = false, version = false, help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String flag = a;
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("-") && eq > 0) {
                flag = a.substring(0, eq);
                v = a.substring(eq + 1);
            }
            boolean switchFlag = switch (flag) {
                case "-D", "--debug", "-V", "--trace", "-DV", "-VD", "-v", "--version", "-h", "--help", "-help",
                     "--tls", "-tls", "--tlsverify", "-tlsverify", "--log_json" -> true;
                default -> false;
            };
            if (!switchFlag && !VALUE_FLAGS.contains(flag)) throw new IllegalArgumentException("unknown flag: " + a);
            if (!switchFlag && v == null) {
                if (++i >= args.length) throw new IllegalArgumentException("flag needs an argument: " + flag);
                v = args[i];
            }
            switch (flag) {
                case "-a", "--addr", "--net", "-addr", "-net" -> host = v;
                case "-p", "--port", "-port" -> port = port(v, flag);
                case "-m", "--http_port", "-http_port" -> httpPort = port(v, flag);
                case "-n", "--name", "--server_name", "-name", "-server_name" -> name = v;
                case "--user", "-user" -> user = v;
                case "--pass", "-pass" -> pass = v;
                case "--auth", "-auth" -> token = v;
                case "--max_payload", "-max_payload" -> maxPayload = size(v, flag);
                case "--max_connections", "-max_connections" -> maxConnections = count(v, flag, 1);
                case "--max_subscriptions", "-max_subscriptions" -> maxSubscriptions = count(v, flag, 0);
                case "--max_pending_auth" -> maxPendingAuth = count(v, flag, 1);
                case "--tls", "-tls" -> tls = true;
                case "--log_json" -> logJson = true;
                case "--tlsverify", "-tlsverify" -> { tls = true; tlsVerify = true; }
                case "--tlscert", "-tlscert" -> tlsCert = v;
                case "--tlskey", "-tlskey" -> tlsKey = v;
                case "--tlscacert", "-tlscacert" -> tlsCaCert = v;
                case "--gateway_name" -> gatewayName = v;
                case "--gateway_tlscert" -> gwCert = v;
                case "--gateway_tlskey" -> gwKey = v;
                case "--gateway_tlscacert" -> gwCa = v;
                case "--gateway_listen" -> gatewayListen = v;
                case "--gateway_remote" -> gatewayRemotes.add(v);
                case "-D", "--debug" -> debug = true;
                case "-V", "--trace" -> trace = true;
                case "-DV", "-VD" -> { debug = true; trace = true; }
                case "-v", "--version" -> version = true;
                default -> help = true;
            }
        }
        if ((user == null) != (pass == null)) throw new IllegalArgumentException("--user and --pass must be given together");
        if (token != null && user != null) throw new IllegalArgumentException("--auth cannot be combined with --user/--pass");
        if ((gwCert != null || gwKey != null || gwCa != null) && (gwCert == null || gwKey == null || gwCa == null)) {
            throw new IllegalArgumentException("gateway TLS needs --gateway_tlscert, --gateway_tlskey and --gateway_tlscacert (it is always mutual)");
        }
        if (gatewayName == null && (gatewayListen != null || !gatewayRemotes.isEmpty() || gwCert != null)) {
            throw new IllegalArgumentException("--gateway_listen, --gateway_remote and --gateway_tls* need --gateway_name");
        }
        if (tlsCert != null || tlsKey != null) tls = true;
        if (tls && (tlsCert == null || tlsKey == null)) throw new IllegalArgumentException("TLS needs both --tlscert and --tlskey");
        if (tlsVerify && tlsCaCert == null) throw new IllegalArgumentException("--tlsverify needs --tlscacert");
        return new BrokerFlags(host, port, httpPort, name, user, pass, token, maxPayload, debug, trace, version, help,
                gatewayName, gatewayListen, java.util.List.copyOf(gatewayRemotes), tls, tlsCert, tlsKey, tlsCaCert, tlsVerify, logJson, gwCert, gwKey, gwCa,
                new Limits(maxConnections, maxSubscriptions, maxPendingAuth));
    }

    private static int port(String v, String flag) {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + v + "\" for flag " + flag + ": expected a port 0..65535");
        }
    }

    private static int count(String v, String flag, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n < min) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + v + "\" for flag " + flag + ": expected a whole number >= " + min
                    + (min == 0 ? " (0 = unlimited)" : ""));
        }
    }

    private static int size(String v, String flag) {
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + v + "\" for flag " + flag + ": expected a positive number of bytes");
        }
    }
}

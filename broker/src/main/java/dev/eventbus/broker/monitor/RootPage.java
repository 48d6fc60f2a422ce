package dev.eventbus.broker.monitor;

import dev.eventbus.broker.BrokerOptions;

/**
 * The HTML index at {@code /}: links to the endpoints we serve, with relative links ({@code ./varz}) like
 * nats-server's page so it keeps working behind a proxy prefix.
 */
final class RootPage {
    private static final String HTML = "<html lang=\"en\">\n"
            + "  <head><title>eventbus monitoring</title></head>\n"
            + "  <body>\n"
            + "    <p>eventbus (NATS protocol, nats-server v" + BrokerOptions.NATS_VERSION + " compatible)</p>\n"
            + "    <a href=./varz>General</a><br/>\n"
            + "    <a href=./connz>Connections</a><br/>\n"
            + "    <a href=./subsz>Subscriptions</a><br/>\n"
            + "    <a href=./healthz>Health Probe</a><br/>\n"
            + "  </body>\n"
            + "</html>";

    private RootPage() {}

    static String html() { return HTML; }
}

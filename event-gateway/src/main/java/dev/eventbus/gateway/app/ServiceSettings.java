package dev.eventbus.gateway.app;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code [service]} of the TOML, bound by Micronaut from the merged configuration.
 *
 * @param port               the external NATS client port
 * @param gatewayPort        where our gateway listens for event-service
 * @param clientCertificates none, optional or required
 */
@ConfigurationProperties("eventbus.service")
public record ServiceSettings(String host, int port, int gatewayPort, boolean disableFrontendTls,
                              String clientCertificates) {}

package dev.eventbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link BrokerOptions.Builder#deferAcceptingClients(boolean)}: an application connects its own clients through the
 * local listener and subscribes before the client port opens, so the first outside request finds a responder.
 */
class DeferredClientsTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection connect(int port) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).maxReconnects(0).build());
    }

    @Test
    void theClientPortOpensOnlyAtAcceptClientsWhileTheLocalListenerServesFromTheStart() throws Exception {
        int port = freePort();
        try (Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(port).deferAcceptingClients(true).build()).start()) {
            assertThat(broker.localPort()).isPositive().isNotEqualTo(port);
            assertThat(broker.port()).isEqualTo(-1);
            assertThat(broker.readyForConnections()).isFalse();
            assertThat(accepts(port)).as("the client port is closed until acceptClients()").isFalse();
            try (Connection own = connect(broker.localPort())) {
                own.createDispatcher(m -> own.publish(m.getReplyTo(), m.getData())).subscribe("svc.echo");
                own.flush(Duration.ofSeconds(2));
                broker.acceptClients();
                assertThat(broker.port()).isEqualTo(port);
                assertThat(broker.readyForConnections()).isTrue();
                try (Connection outside = connect(port)) {
                    Message answer = outside.request("svc.echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                    assertThat(answer).isNotNull();
                    assertThat(new String(answer.getData(), StandardCharsets.UTF_8)).isEqualTo("hi");
                }
                assertThat(own.getStatus()).as("the local listener stays open").isEqualTo(Connection.Status.CONNECTED);
            }
            assertThatThrownBy(broker::acceptClients).isInstanceOf(IllegalStateException.class).hasMessageContaining("already accepting");
        }
    }

    @Test
    void aClientPortInUseAtAcceptClientsFailsClearlyAndClosesTheLocalListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(taken.getLocalPort())
                    .deferAcceptingClients(true).build()).start();
            int local = broker.localPort();
            assertThatThrownBy(broker::acceptClients).isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("address already in use");
            assertThat(accepts(local)).isFalse();
            broker.shutdown();
        }
    }

    @Test
    void withoutTheOptionStartAcceptsClientsAndThereIsNoLocalListener() throws Exception {
        try (Broker broker = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).build()).start()) {
            assertThat(broker.localPort()).isEqualTo(-1);
            assertThat(accepts(broker.port())).isTrue();
            assertThatThrownBy(broker::acceptClients).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("deferAcceptingClients is not set");
        }
    }

    @Test
    void interestSubscribedBeforeAcceptClientsIsAnnouncedToGatewayPeers() throws Exception {
        int serviceGw = freePort();
        try (Broker service = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0).deferAcceptingClients(true)
                .gateway(GatewayOptions.builder("service").host("127.0.0.1").port(serviceGw).build()).build()).start();
             Connection own = connect(service.localPort())) {
            own.createDispatcher(m -> own.publish(m.getReplyTo(), m.getData())).subscribe("svc.echo");
            own.flush(Duration.ofSeconds(2));
            service.acceptClients();
            try (Broker edge = new Broker(BrokerOptions.builder().host("127.0.0.1").port(0)
                    .gateway(GatewayOptions.builder("edge").host("127.0.0.1").port(0)
                            .remote("service", "nats://127.0.0.1:" + serviceGw).build()).build()).start();
                 Connection outside = connect(edge.port())) {
                // interest-only from the start: the peer learns svc.echo only if it was recorded before the gateway began
                Message answer = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (answer == null && System.nanoTime() < deadline) {
                    Message m = outside.request("svc.echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2));
                    if (m != null && !m.isStatusMessage()) answer = m;
                }
                assertThat(answer).as("answered across the gateway").isNotNull();
            }
        }
    }
}

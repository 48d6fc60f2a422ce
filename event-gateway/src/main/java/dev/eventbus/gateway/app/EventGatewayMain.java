package dev.eventbus.gateway.app;

import dev.eventbus.config.App;
import dev.eventbus.config.ConfigError;
import dev.eventbus.config.ConfigException;
import dev.eventbus.config.AppConfig;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.config.LogSettings;
import dev.eventbus.config.logging.LogConfigurator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code eventbus gateway [--config FILE] [--overrides FILE]}: loads the TOML layers, refuses a bad configuration
 * before anything starts, then runs the Micronaut application with the merged TOML as its property source.
 */
public final class EventGatewayMain {
    private EventGatewayMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) System.exit(code);
    }

    /** Returns 0 once the application stopped cleanly, or an exit code for a bad command line or configuration. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        EffectiveConfig cfg;
        try {
            cfg = AppConfig.load(App.EVENT_GATEWAY, args);
        } catch (IllegalArgumentException e) {
            err.println("eventbus gateway: " + e.getMessage());
            err.println("usage: eventbus gateway [--config FILE] [--overrides FILE]");
            return 2;
        } catch (ConfigException e) {
            for (ConfigError ce : e.errors()) err.println("eventbus gateway: " + ce);
            err.println("eventbus gateway: refusing to start with an invalid configuration");
            return 2;
        }
        LogConfigurator.apply(LogSettings.from(cfg));
        ApplicationContext ctx;
        try {
            ctx = start(cfg);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            err.println("eventbus gateway: cannot start: " + root.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ctx.close();
            stopped.countDown();
        }, "event-gateway-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Starts the application on a loaded configuration (tests call this directly). Unlike {@code Micronaut.run},
     * a failure throws instead of exiting the JVM, so the caller decides what the user sees.
     */
    public static ApplicationContext start(EffectiveConfig cfg) {
        ApplicationContext ctx = ApplicationContext.builder()
                .mainClass(EventGatewayMain.class)
                .banner(false)
                .deduceEnvironment(false)
                .properties(properties(cfg))
                .singletons(cfg)
                .start();
        try {
            ctx.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        return ctx;
    }

    static Map<String, Object> properties(EffectiveConfig cfg) {
        Map<String, Object> m = AppConfig.micronautProperties(cfg);
        m.put("micronaut.server.host", cfg.getString("monitor.host"));
        m.put("micronaut.server.port", cfg.getInt("monitor.port"));
        m.put("micronaut.application.name", "event-gateway");
        return m;
    }
}

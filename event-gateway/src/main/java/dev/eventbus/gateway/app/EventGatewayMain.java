package dev.eventbus.gateway.app;

import dev.eventbus.config.App;
import dev.eventbus.config.AppConfig;
import dev.eventbus.config.EffectiveConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import java.io.PrintStream;
import java.util.Map;

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
        return AppConfig.run("gateway", App.EVENT_GATEWAY, "eventbus gateway [--config FILE] [--overrides FILE]", args, err, cfg -> start(cfg));
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

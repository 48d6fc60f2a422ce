package dev.eventbus.service.app;

import dev.eventbus.config.App;
import dev.eventbus.config.AppConfig;
import dev.eventbus.config.EffectiveConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import java.io.PrintStream;
import java.util.Map;

/** {@code eventbus service [--config FILE] [--overrides FILE]}: event-service as a Micronaut application. */
public final class EventServiceMain {
    private EventServiceMain() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("dlq")) {
            System.exit(dev.eventbus.service.cli.DlqMain.run(args, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("verify")) {
            System.exit(dev.eventbus.service.cli.VerifyMain.run(args, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("recovery")) {
            System.exit(dev.eventbus.service.cli.RecoveryMain.run(args, System.out, System.err));
        }
        int code = run(args, System.out, System.err);
        if (code != 0) System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return AppConfig.run("service", App.EVENT_SERVICE, "eventbus service [--config FILE] [--overrides FILE] | eventbus service dlq list|show|replay --data-dir DIR"
                + " | eventbus service verify --data-dir DIR | eventbus service recovery show|ack --config FILE", args, err, cfg -> start(cfg));
    }

    /** Starts the application; a failure throws (Micronaut.run would exit the JVM). */
    public static ApplicationContext start(EffectiveConfig cfg) {
        // checked before anything binds: an unauthenticated HTTP API off loopback refuses to start
        ApiAccess access = ApiAccess.from(cfg);
        Map<String, Object> props = AppConfig.micronautProperties(cfg);
        props.putAll(access.serverProperties(cfg));
        props.put("micronaut.server.max-request-size", cfg.getInt("queue.max_event_bytes") + 4096L);
        props.put("micronaut.application.name", "event-service");
        ApplicationContext ctx = ApplicationContext.builder().mainClass(EventServiceMain.class).banner(false)
                .deduceEnvironment(false).properties(props).singletons(cfg, access).start();
        try {
            ctx.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
            org.slf4j.LoggerFactory.getLogger(EventServiceMain.class).info("event-service: {}", access.describe());
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        return ctx;
    }
}

package dev.eventbus.config;

import dev.eventbus.config.logging.LogConfigurator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** What the apps' launchers share: reading {@code --config/--overrides} and turning the TOML into properties. */
public final class AppConfig {
    private AppConfig() {}

    /**
     * {@code [--config FILE] [--overrides FILE]}: bundled defaults, then the overrides file, then the patch file.
     *
     * @throws IllegalArgumentException for a bad command line or a missing file
     * @throws ConfigException          for a bad configuration, with every error
     */
    public static EffectiveConfig load(App app, String[] args) throws ConfigException {
        ConfigLoader loader = ConfigLoader.forApp(app);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--config") || a.equals("--overrides") || a.equals("-c")) && i + 1 < args.length) {
                Path p = Path.of(args[++i]);
                if (!Files.isRegularFile(p)) throw new IllegalArgumentException("no such config file: " + p);
                loader = a.equals("--overrides") ? loader.overrides(p) : loader.patch(p);
            } else {
                throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        return loader.load();
    }

    /**
     * The TOML under {@code eventbus.}, each snake_case key also in kebab-case so Micronaut's
     * {@code @ConfigurationProperties} bind it, durations as Micronaut reads them ({@code 1500ms}).
     */
    public static Map<String, Object> micronautProperties(EffectiveConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : cfg.toProperties("eventbus.").entrySet()) {
            Object v = e.getValue() instanceof Duration d ? d.toMillis() + "ms" : e.getValue();
            m.put(e.getKey(), v);
            m.put(e.getKey().replace('_', '-'), v);
        }
        return m;
    }

    /**
     * An app's whole life from the command line: load the layers (a bad configuration never starts anything: every
     * error is printed, exit 2), apply {@code [log]}, start, and run until SIGTERM/SIGINT closes what was started.
     *
     * @param start starts the application on the loaded configuration; what it returns is closed on shutdown
     * @return 0 after a clean stop, 1 when it could not start, 2 for a bad command line or configuration
     */
    public static int run(String name, App app, String usage, String[] args, PrintStream err,
                          Function<EffectiveConfig, AutoCloseable> start) {
        EffectiveConfig cfg;
        try {
            cfg = load(app, args);
        } catch (IllegalArgumentException e) {
            err.println("eventbus " + name + ": " + e.getMessage());
            err.println("usage: " + usage);
            return 2;
        } catch (ConfigException e) {
            for (ConfigError ce : e.errors()) err.println("eventbus " + name + ": " + ce);
            err.println("eventbus " + name + ": refusing to start with an invalid configuration");
            return 2;
        }
        LogConfigurator.apply(LogSettings.from(cfg));
        AutoCloseable running;
        try {
            running = start.apply(cfg);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            err.println("eventbus " + name + ": cannot start: " + root.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                err.println("eventbus " + name + ": error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, name + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

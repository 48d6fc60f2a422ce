package dev.eventbus.service.cli;

import dev.eventbus.config.App;
import dev.eventbus.config.AppConfig;
import dev.eventbus.config.ConfigException;
import dev.eventbus.config.EffectiveConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --data-dir DIR} or {@code --config FILE [--overrides FILE]}: which data directory a command works on. The
 * config form reads {@code queue.data_dir} the way the service does, so an operator can pass the file the service runs
 * with.
 */
final class DataDirOption {
    /** Where the service keeps its data when the configuration names no directory (as ServiceFactory does). */
    private static final Path DEFAULT = Path.of("event-service-data");

    private DataDirOption() {}

    /**
     * Removes the options it knows from {@code args}.
     *
     * @throws IllegalArgumentException with the message to print, for a missing or duplicate option or a bad config
     */
    static Path take(List<String> args) {
        Path dataDir = null;
        List<String> configArgs = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            if (a.equals("--data-dir") || a.equals("-d") || a.equals("--config") || a.equals("-c") || a.equals("--overrides")) {
                if (i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value");
                String v = args.get(i + 1);
                args.subList(i, i + 2).clear();
                if (a.equals("--data-dir") || a.equals("-d")) dataDir = Path.of(v);
                else configArgs.addAll(List.of(a, v));
            } else if (a.startsWith("--data-dir=")) {
                dataDir = Path.of(a.substring("--data-dir=".length()));
                args.remove(i);
            } else {
                i++;
            }
        }
        if (dataDir != null && !configArgs.isEmpty()) throw new IllegalArgumentException("give --data-dir or --config, not both");
        if (dataDir != null) return dataDir;
        if (configArgs.isEmpty()) throw new IllegalArgumentException("--data-dir DIR or --config FILE is required");
        try {
            EffectiveConfig cfg = AppConfig.load(App.EVENT_SERVICE, configArgs.toArray(String[]::new));
            return cfg.findPath("queue.data_dir").orElse(DEFAULT).toAbsolutePath();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage());
        }
    }

    /**
     * {@link #take} for a command that takes no other arguments: prints the problem and the usage to {@code err}.
     *
     * @return null after a usage error (exit code 2)
     */
    static Path only(List<String> args, PrintStream err, String usage) {
        try {
            Path dataDir = take(args);
            if (!args.isEmpty()) throw new IllegalArgumentException("unknown argument " + args.get(0));
            return dataDir;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(usage);
            return null;
        }
    }
}

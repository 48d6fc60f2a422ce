package dev.eventbus.config.cli;

import dev.eventbus.config.App;
import dev.eventbus.config.ConfigChangedException;
import dev.eventbus.config.ConfigError;
import dev.eventbus.config.ConfigException;
import dev.eventbus.config.ConfigLoader;
import dev.eventbus.config.ConfigPatcher;
import dev.eventbus.config.EffectiveConfig;
import dev.eventbus.config.Key;
import dev.eventbus.config.ValueType;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code eventbus config <command>}: show, validate and patch configuration files. Plain Java, no framework. Exit
 * status: 0 done, 1 the configuration was refused (or the file could not be written), 2 bad usage. User errors are
 * one line each; never a stack trace.
 */
public final class ConfigMain {
    static final String USAGE = """
            Usage: eventbus config <command> [flags]

            Commands:
              show [--app APP] [--config FILE] [--patch FILE]...
                  print the effective configuration as TOML, each value followed by the layer it came from
                  (bundled defaults < --config FILE, the saved overrides < each --patch FILE, in order)
              validate FILE [--app APP]
                  check FILE as the overrides on top of the bundled defaults; prints "ok" or every error
              patch BASE PATCH [--app APP]
                  merge PATCH into BASE and write BASE (tables merge, values and arrays are replaced);
                  refused, with nothing written, if BASE changes while the patch is applied
              keys [--app APP]
                  list every key with its type, default and description

            APP is event-service (the default) or event-gateway.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final UnaryOperator<ConfigPatcher> patcherSetup;

    private ConfigMain(PrintStream out, PrintStream err, UnaryOperator<ConfigPatcher> patcherSetup) {
        this.out = out;
        this.err = err;
        this.patcherSetup = patcherSetup;
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, UnaryOperator.identity());
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with a hook to set up the patcher (tests). */
    static int run(String[] args, PrintStream out, PrintStream err, UnaryOperator<ConfigPatcher> patcherSetup) {
        ConfigMain main = new ConfigMain(out, err, patcherSetup);
        try {
            return main.dispatch(args);
        } catch (UsageException e) {
            err.println("eventbus config" + (e.command == null ? "" : " " + e.command) + ": " + e.getMessage());
            err.println("Run 'eventbus config -h' for usage.");
            return 2;
        } catch (RuntimeException e) {
            err.println("eventbus config: internal error: " + e);
            return 1;
        }
    }

    private static final class UsageException extends RuntimeException {
        final String command;

        UsageException(String command, String message) {
            super(message, null, false, false);
            this.command = command;
        }
    }

    /** Flags and positional arguments of one command. */
    private static final class Args {
        App app = App.EVENT_SERVICE;
        Path config;
        final List<Path> patches = new ArrayList<>();
        final List<String> positional = new ArrayList<>();
        boolean help;
    }

    private int dispatch(String[] argv) {
        if (argv.length == 0) throw new UsageException(null, "missing command (show, validate, patch or keys)");
        String command = argv[0];
        if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
            out.print(USAGE);
            return 0;
        }
        if (!List.of("show", "validate", "patch", "keys").contains(command)) {
            throw new UsageException(null, "unknown command \"" + command + "\" (expected show, validate, patch or keys)");
        }
        Args a = parse(command, argv);
        if (a.help) {
            out.print(USAGE);
            return 0;
        }
        switch (command) {
            case "show":
                positionals(command, a, 0, "");
                return show(a);
            case "validate":
                positionals(command, a, 1, "FILE");
                return validate(a);
            case "patch":
                positionals(command, a, 2, "BASE and PATCH");
                return patch(a);
            default:
                positionals(command, a, 0, "");
                return keys(a);
        }
    }

    private static Args parse(String command, String[] argv) {
        Args a = new Args();
        for (int i = 1; i < argv.length; i++) {
            String arg = argv[i];
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (flag) {
                case "-h", "--help" -> a.help = true;
                case "--app", "--config", "--patch" -> {
                    if (value == null) {
                        if (i + 1 >= argv.length) throw new UsageException(command, flag + " needs a value");
                        value = argv[++i];
                    }
                    if (value.isEmpty()) throw new UsageException(command, flag + " needs a value");
                    boolean allowed = flag.equals("--app") || command.equals("show");
                    if (!allowed) throw new UsageException(command, "unknown flag " + flag);
                    switch (flag) {
                        case "--app" -> {
                            try {
                                a.app = App.byId(value);
                            } catch (IllegalArgumentException e) {
                                throw new UsageException(command, e.getMessage());
                            }
                        }
                        case "--config" -> {
                            if (a.config != null) throw new UsageException(command, "--config given twice (use --patch for more layers)");
                            a.config = path(command, value);
                        }
                        default -> a.patches.add(path(command, value));
                    }
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) throw new UsageException(command, "unknown flag " + flag);
                    a.positional.add(arg);
                }
            }
        }
        return a;
    }

    private static Path path(String command, String value) {
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(command, "bad file name \"" + value + "\"");
        }
    }

    private static void positionals(String command, Args a, int n, String what) {
        if (a.positional.size() == n) return;
        if (n == 0) throw new UsageException(command, "unexpected argument \"" + a.positional.get(0) + "\"");
        throw new UsageException(command, "expected " + what + (a.positional.size() > n ? ", got more" : ""));
    }

    private int show(Args a) {
        ConfigLoader loader = ConfigLoader.forApp(a.app);
        if (a.config != null) loader.overrides(a.config);
        for (Path p : a.patches) loader.patch(p);
        try {
            EffectiveConfig cfg = loader.load();
            out.print(cfg.toToml());
            return 0;
        } catch (ConfigException e) {
            printErrors(e);
            return 1;
        }
    }

    private int validate(Args a) {
        try {
            ConfigLoader.forApp(a.app).overrides(path("validate", a.positional.get(0))).load();
            out.println("ok");
            return 0;
        } catch (ConfigException e) {
            printErrors(e);
            return 1;
        }
    }

    private int patch(Args a) {
        Path base = path("patch", a.positional.get(0));
        Path patch = path("patch", a.positional.get(1));
        ConfigPatcher patcher = patcherSetup.apply(new ConfigPatcher(a.app));
        try {
            ConfigPatcher.Result r = patcher.patch(base, patch);
            for (ConfigPatcher.Change c : r.changes()) out.println("  " + c);
            out.println(r.written() ? "ok: wrote " + base : "ok: " + base + " already says that; nothing written");
            return 0;
        } catch (ConfigException e) {
            printErrors(e);
            err.println("eventbus config patch: nothing written");
            return 1;
        } catch (ConfigChangedException e) {
            err.println("eventbus config patch: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("eventbus config patch: cannot write " + base + ": " + reason(e));
            return 1;
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such folder";
        return String.valueOf(e.getMessage());
    }

    private int keys(Args a) {
        out.println("# " + a.app.id() + " configuration keys");
        for (Key k : a.app.schema().keys()) {
            describe(k.path(), k);
            if (k.type() == ValueType.TABLES) {
                for (Key sub : k.entrySchema().keys()) describe(k.path() + "[]." + sub.path(), sub);
            }
        }
        return 0;
    }

    private void describe(String path, Key k) {
        String def = k.defaultValue().map(d -> "default " + (d instanceof String s ? "\"" + s + "\"" : String.valueOf(d)))
                .orElse(k.isRequired() ? "required" : "optional");
        out.println(path + "  " + k.expected() + "; " + def);
        if (!k.description().isEmpty()) out.println("    " + k.description());
    }

    private void printErrors(ConfigException e) {
        for (ConfigError error : e.errors()) err.println(error);
    }
}

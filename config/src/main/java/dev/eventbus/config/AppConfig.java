package dev.eventbus.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
}

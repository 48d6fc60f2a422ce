package dev.eventbus.audit.analyze;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of the analysis: a code ({@code SERVER_004}), a suite, a name, a description and thresholds, as jsm.go's
 * {@code audit.Check}. Codes below 900 are jsm.go's and behave as there; 9xx codes and the {@code eventbus} suite are
 * eventbus additions.
 */
public abstract class Check {
    private final String code;
    private final String suite;
    private final String name;
    private final String description;
    private final Map<String, ConfigItem> configuration = new LinkedHashMap<>();
    private final Map<String, Double> values = new LinkedHashMap<>();

    protected Check(String code, String suite, String name, String description, ConfigItem... config) {
        this.code = code;
        this.suite = suite;
        this.name = name;
        this.description = description;
        for (ConfigItem c : config) configuration.put(c.key(), c);
    }

    public String code() { return code; }

    public String suite() { return suite; }

    public String name() { return name; }

    public String description() { return description; }

    public Map<String, ConfigItem> configuration() { return Map.copyOf(configuration); }

    /** Overrides a threshold. */
    public void set(String key, double value) {
        if (!configuration.containsKey(key)) {
            throw new IllegalArgumentException("check " + code + " has no setting '" + key + "'");
        }
        values.put(key, value);
    }

    /** The value that was set, or null. */
    public Double setValue(String key) { return values.get(key); }

    /** The threshold in force. */
    protected double threshold(String key) {
        Double v = values.get(key);
        return v != null ? v : configuration.get(key).defaultValue();
    }

    /** Runs the check: returns the outcome and records findings (or the skip reason) in {@code examples}. */
    public abstract Outcome run(ArchiveView archive, Examples examples);
}

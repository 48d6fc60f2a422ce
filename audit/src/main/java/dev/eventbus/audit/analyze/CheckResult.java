package dev.eventbus.audit.analyze;

/** One check's result in a report. */
public record CheckResult(Check check, Outcome outcome, Examples examples) {}

package dev.eventbus.audit.archive;

import java.util.List;

/** More than one file matched a query that needs exactly one: Go's {@code ErrMultipleMatches}. */
public final class MultipleMatchException extends ArchiveException {
    public static final String MESSAGE = "multiple files matched the given query";

    private final List<String> matches;

    public MultipleMatchException(String query, List<String> matches) {
        super(MESSAGE + " (" + query + "): " + matches.size() + " files, e.g. " + matches.get(0));
        this.matches = List.copyOf(matches);
    }

    public List<String> matches() { return matches; }
}

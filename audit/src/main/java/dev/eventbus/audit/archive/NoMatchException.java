package dev.eventbus.audit.archive;

/** No file matched a query: Go's {@code ErrNoMatches} ("no file matched the given query"). */
public final class NoMatchException extends ArchiveException {
    public static final String MESSAGE = "no file matched the given query";

    public NoMatchException(String query) { super(MESSAGE + (query.isEmpty() ? "" : " (" + query + ")")); }
}

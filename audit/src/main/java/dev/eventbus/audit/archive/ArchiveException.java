package dev.eventbus.audit.archive;

/**
 * A problem with an archive or with the tags used to write or query it. The message is meant for the user as is
 * (one line, no stack trace needed).
 */
public class ArchiveException extends RuntimeException {
    public ArchiveException(String message) { super(message); }

    public ArchiveException(String message, Throwable cause) { super(message, cause); }
}

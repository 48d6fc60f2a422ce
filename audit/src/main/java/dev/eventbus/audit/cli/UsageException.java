package dev.eventbus.audit.cli;

/** The command line is wrong: printed as one line plus a hint, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }
}

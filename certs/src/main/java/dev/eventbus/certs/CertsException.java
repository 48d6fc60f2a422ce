package dev.eventbus.certs;

/**
 * A problem with certificate or key material that a user can fix: a missing file, a file that is not PEM, a wrong
 * password, a key that does not belong to its certificate. The message is one line, meant to be shown as it is
 * (it names the file), so command-line tools print it instead of a stack trace.
 */
public class CertsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CertsException(String message) {
        super(message);
    }

    public CertsException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.widthlaw.driver;

/**
 * Bad input: a job file, an option or an output directory that cannot be used. The CLI prints
 * its one-line message, writes nothing and exits with code 2.
 */
public final class JobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobException(String message) {
        super(message);
    }

    public JobException(String field, String message) {
        super(field + ": " + message);
    }
}

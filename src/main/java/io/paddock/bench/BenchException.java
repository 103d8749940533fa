package io.paddock.bench;

/**
 * The benchmark cannot go on: the server does not answer, or refuses the set-up or clean-up
 * it needs. Errors of measured requests are counted instead, never thrown.
 */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}

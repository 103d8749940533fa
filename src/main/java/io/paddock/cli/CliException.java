package io.paddock.cli;

/**
 * A command that failed, with the line the shell prints for it (on stderr, as zkCli prints a
 * CliException) and the exit status it stands for: {@link #FAILED} for every failure but an
 * unknown command, which is {@link #NOT_FOUND} (zkCli's CommandNotFoundException, 127).
 */
final class CliException extends Exception {

    static final int FAILED = 1;
    static final int NOT_FOUND = 127;

    private final int exitCode;

    CliException(String message) {
        this(message, FAILED);
    }

    CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

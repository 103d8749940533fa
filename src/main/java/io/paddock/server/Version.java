package io.paddock.server;

/** Paddock's version, as reported by the status endpoint. */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }
}

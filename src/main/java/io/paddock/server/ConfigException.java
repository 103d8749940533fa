package io.paddock.server;

/**
 * A configuration file that cannot be used. The message names the file, the line (when there
 * is one) and the key, as in {@code conf/paddock.cfg:7: tickTime: not a positive integer: 'abc'}.
 */
public final class ConfigException extends Exception {

    private final String source;
    private final int line;
    private final String key;

    /**
     * @param source  the file name as the user gave it
     * @param line    1-based line number, or 0 when the problem has no single line (a missing key)
     * @param key     the key at fault, or null when the line has none
     * @param problem what is wrong, in a few words
     */
    public ConfigException(String source, int line, String key, String problem) {
        this(source, line, key, problem, null);
    }

    public ConfigException(String source, int line, String key, String problem, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + (key != null ? key + ": " : "") + problem, cause);
        this.source = source;
        this.line = line;
        this.key = key;
    }

    public String source() {
        return source;
    }

    /** 1-based, or 0 when no single line is at fault. */
    public int line() {
        return line;
    }

    /** The key at fault, or null. */
    public String key() {
        return key;
    }
}

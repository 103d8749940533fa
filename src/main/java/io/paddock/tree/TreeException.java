package io.paddock.tree;

/** A request that the tree refuses, with ZooKeeper's error code and the path it concerns. */
public final class TreeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String path;

    public TreeException(ErrorCode code, String path, String message) {
        super(message, null, false, false);
        this.code = code;
        this.path = path;
    }

    public ErrorCode code() {
        return code;
    }

    /** The path the error concerns, or null when it concerns none. */
    public String path() {
        return path;
    }

    public OpResult.Error toResult() {
        return new OpResult.Error(code, path, getMessage());
    }
}

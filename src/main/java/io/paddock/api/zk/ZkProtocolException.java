package io.paddock.api.zk;

/**
 * Input after which a ZooKeeper client connection must be closed: bytes that are no frame, a
 * record cut short or declaring more bytes than its frame holds, a request type that is no
 * request. The message names the problem, for the log line the connection leaves.
 */
public final class ZkProtocolException extends Exception {

    public ZkProtocolException(String message) {
        super(message);
    }

    public ZkProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}

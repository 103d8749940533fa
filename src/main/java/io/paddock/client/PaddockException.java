package io.paddock.client;

import io.paddock.tree.ErrorCode;

/**
 * A refusal or failure of a request, typed by ZooKeeper's error code as KeeperException is:
 * {@code catch (PaddockException.NoNodeException e)}. {@link #code()} is the code, {@link #path()}
 * the znode concerned (or null), and the message says what went wrong in words.
 *
 * <p>{@link ConnectionLossException} and {@link OperationTimeoutException} mean the outcome is
 * unknown: the request may or may not have taken effect. The client retries what is safe to
 * retry (see {@link RetryPolicy}); a write it could not know the fate of ends in one of these.
 */
public class PaddockException extends Exception {

    private final ErrorCode code;
    private final String path;

    protected PaddockException(ErrorCode code, String path, String message) {
        super(message);
        this.code = code;
        this.path = path;
    }

    protected PaddockException(ErrorCode code, String path, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.path = path;
    }

    public ErrorCode code() {
        return code;
    }

    /** The znode the request concerned, or null. */
    public String path() {
        return path;
    }

    /** The exception for a code: a subclass named after it, or PaddockException itself for the rest. */
    public static PaddockException create(ErrorCode code, String path, String message) {
        return switch (code) {
            case SYSTEM_ERROR -> new SystemErrorException(path, message);
            case RUNTIME_INCONSISTENCY -> new RuntimeInconsistencyException(path, message);
            case DATA_INCONSISTENCY -> new DataInconsistencyException(path, message);
            case CONNECTION_LOSS -> new ConnectionLossException(path, message);
            case MARSHALLING_ERROR -> new MarshallingErrorException(path, message);
            case UNIMPLEMENTED -> new UnimplementedException(path, message);
            case OPERATION_TIMEOUT -> new OperationTimeoutException(path, message);
            case BAD_ARGUMENTS -> new BadArgumentsException(path, message);
            case UNKNOWN_SESSION -> new UnknownSessionException(path, message);
            case API_ERROR -> new APIErrorException(path, message);
            case NO_NODE -> new NoNodeException(path, message);
            case NO_AUTH -> new NoAuthException(path, message);
            case BAD_VERSION -> new BadVersionException(path, message);
            case NO_CHILDREN_FOR_EPHEMERALS -> new NoChildrenForEphemeralsException(path, message);
            case NODE_EXISTS -> new NodeExistsException(path, message);
            case NOT_EMPTY -> new NotEmptyException(path, message);
            case SESSION_EXPIRED -> new SessionExpiredException(path, message);
            case INVALID_ACL -> new InvalidACLException(path, message);
            case AUTH_FAILED -> new AuthFailedException(path, message);
            case SESSION_MOVED -> new SessionMovedException(path, message);
            case NOT_READONLY -> new NotReadOnlyException(path, message);
            case NO_WATCHER -> new NoWatcherException(path, message);
            case REQUEST_TIMEOUT -> new RequestTimeoutException(path, message);
            case RECONFIG_DISABLED -> new ReconfigDisabledException(path, message);
            case QUOTA_EXCEEDED -> new QuotaExceededException(path, message);
            case THROTTLED_OP -> new ThrottledOpException(path, message);
            default -> new PaddockException(code, path, message);
        };
    }

    /** A ConnectionLoss with a cause: the client could not reach a server, or lost it mid-request. */
    public static ConnectionLossException connectionLoss(String message, Throwable cause) {
        ConnectionLossException e = new ConnectionLossException(null, message);
        e.initCause(cause);
        return e;
    }


    public static class SystemErrorException extends PaddockException {
        public SystemErrorException(String path, String message) {
            super(ErrorCode.SYSTEM_ERROR, path, message);
        }
    }

    public static class RuntimeInconsistencyException extends PaddockException {
        public RuntimeInconsistencyException(String path, String message) {
            super(ErrorCode.RUNTIME_INCONSISTENCY, path, message);
        }
    }

    public static class DataInconsistencyException extends PaddockException {
        public DataInconsistencyException(String path, String message) {
            super(ErrorCode.DATA_INCONSISTENCY, path, message);
        }
    }

    public static class ConnectionLossException extends PaddockException {
        public ConnectionLossException(String path, String message) {
            super(ErrorCode.CONNECTION_LOSS, path, message);
        }
    }

    public static class MarshallingErrorException extends PaddockException {
        public MarshallingErrorException(String path, String message) {
            super(ErrorCode.MARSHALLING_ERROR, path, message);
        }
    }

    public static class UnimplementedException extends PaddockException {
        public UnimplementedException(String path, String message) {
            super(ErrorCode.UNIMPLEMENTED, path, message);
        }
    }

    public static class OperationTimeoutException extends PaddockException {
        public OperationTimeoutException(String path, String message) {
            super(ErrorCode.OPERATION_TIMEOUT, path, message);
        }
    }

    public static class BadArgumentsException extends PaddockException {
        public BadArgumentsException(String path, String message) {
            super(ErrorCode.BAD_ARGUMENTS, path, message);
        }
    }

    public static class UnknownSessionException extends PaddockException {
        public UnknownSessionException(String path, String message) {
            super(ErrorCode.UNKNOWN_SESSION, path, message);
        }
    }

    public static class APIErrorException extends PaddockException {
        public APIErrorException(String path, String message) {
            super(ErrorCode.API_ERROR, path, message);
        }
    }

    public static class NoNodeException extends PaddockException {
        public NoNodeException(String path, String message) {
            super(ErrorCode.NO_NODE, path, message);
        }
    }

    public static class NoAuthException extends PaddockException {
        public NoAuthException(String path, String message) {
            super(ErrorCode.NO_AUTH, path, message);
        }
    }

    public static class BadVersionException extends PaddockException {
        public BadVersionException(String path, String message) {
            super(ErrorCode.BAD_VERSION, path, message);
        }
    }

    public static class NoChildrenForEphemeralsException extends PaddockException {
        public NoChildrenForEphemeralsException(String path, String message) {
            super(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, path, message);
        }
    }

    public static class NodeExistsException extends PaddockException {
        public NodeExistsException(String path, String message) {
            super(ErrorCode.NODE_EXISTS, path, message);
        }
    }

    public static class NotEmptyException extends PaddockException {
        public NotEmptyException(String path, String message) {
            super(ErrorCode.NOT_EMPTY, path, message);
        }
    }

    public static class SessionExpiredException extends PaddockException {
        public SessionExpiredException(String path, String message) {
            super(ErrorCode.SESSION_EXPIRED, path, message);
        }
    }

    public static class InvalidACLException extends PaddockException {
        public InvalidACLException(String path, String message) {
            super(ErrorCode.INVALID_ACL, path, message);
        }
    }

    public static class AuthFailedException extends PaddockException {
        public AuthFailedException(String path, String message) {
            super(ErrorCode.AUTH_FAILED, path, message);
        }
    }

    public static class SessionMovedException extends PaddockException {
        public SessionMovedException(String path, String message) {
            super(ErrorCode.SESSION_MOVED, path, message);
        }
    }

    public static class NotReadOnlyException extends PaddockException {
        public NotReadOnlyException(String path, String message) {
            super(ErrorCode.NOT_READONLY, path, message);
        }
    }

    public static class NoWatcherException extends PaddockException {
        public NoWatcherException(String path, String message) {
            super(ErrorCode.NO_WATCHER, path, message);
        }
    }

    public static class RequestTimeoutException extends PaddockException {
        public RequestTimeoutException(String path, String message) {
            super(ErrorCode.REQUEST_TIMEOUT, path, message);
        }
    }

    public static class ReconfigDisabledException extends PaddockException {
        public ReconfigDisabledException(String path, String message) {
            super(ErrorCode.RECONFIG_DISABLED, path, message);
        }
    }

    public static class QuotaExceededException extends PaddockException {
        public QuotaExceededException(String path, String message) {
            super(ErrorCode.QUOTA_EXCEEDED, path, message);
        }
    }

    public static class ThrottledOpException extends PaddockException {
        public ThrottledOpException(String path, String message) {
            super(ErrorCode.THROTTLED_OP, path, message);
        }
    }
}

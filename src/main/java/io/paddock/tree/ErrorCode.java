package io.paddock.tree;

/** ZooKeeper's error codes (KeeperException.Code), with their numbers and names as clients know them. */
public enum ErrorCode {
    OK(0, "OK"),
    SYSTEM_ERROR(-1, "SystemError"),
    RUNTIME_INCONSISTENCY(-2, "RuntimeInconsistency"),
    DATA_INCONSISTENCY(-3, "DataInconsistency"),
    CONNECTION_LOSS(-4, "ConnectionLoss"),
    MARSHALLING_ERROR(-5, "MarshallingError"),
    UNIMPLEMENTED(-6, "Unimplemented"),
    OPERATION_TIMEOUT(-7, "OperationTimeout"),
    BAD_ARGUMENTS(-8, "BadArguments"),
    UNKNOWN_SESSION(-12, "UnknownSession"),
    NEW_CONFIG_NO_QUORUM(-13, "NewConfigNoQuorum"),
    RECONFIG_IN_PROGRESS(-14, "ReconfigInProgress"),
    API_ERROR(-100, "APIError"),
    NO_NODE(-101, "NoNode"),
    NO_AUTH(-102, "NoAuth"),
    BAD_VERSION(-103, "BadVersion"),
    NO_CHILDREN_FOR_EPHEMERALS(-108, "NoChildrenForEphemerals"),
    NODE_EXISTS(-110, "NodeExists"),
    NOT_EMPTY(-111, "NotEmpty"),
    SESSION_EXPIRED(-112, "SessionExpired"),
    INVALID_CALLBACK(-113, "InvalidCallback"),
    INVALID_ACL(-114, "InvalidACL"),
    AUTH_FAILED(-115, "AuthFailed"),
    SESSION_MOVED(-118, "SessionMoved"),
    NOT_READONLY(-119, "NotReadOnly"),
    EPHEMERAL_ON_LOCAL_SESSION(-120, "EphemeralOnLocalSession"),
    NO_WATCHER(-121, "NoWatcher"),
    REQUEST_TIMEOUT(-122, "RequestTimeout"),
    RECONFIG_DISABLED(-123, "ReconfigDisabled"),
    SESSION_CLOSED_REQUIRE_SASL_AUTH(-124, "SessionClosedRequireAuth"),
    QUOTA_EXCEEDED(-125, "QuotaExceeded"),
    THROTTLED_OP(-127, "ThrottledOp");

    private final int intValue;
    private final String codeName;

    ErrorCode(int intValue, String codeName) {
        this.intValue = intValue;
        this.codeName = codeName;
    }

    /** The number ZooKeeper puts on the wire. */
    public int intValue() {
        return intValue;
    }

    /** The name ZooKeeper's clients print, e.g. {@code NoNode}. */
    public String codeName() {
        return codeName;
    }

    public static ErrorCode of(int intValue) {
        for (ErrorCode c : values()) {
            if (c.intValue == intValue) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown ZooKeeper error code " + intValue);
    }
}

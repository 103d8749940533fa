package io.paddock.server;

import io.paddock.tree.Id;
import io.paddock.tree.Op;
import java.util.List;

/**
 * A change requested at one server of an ensemble and prepared by the leader, which alone
 * numbers transactions: a client's write, or a session opening or closing. The ZAB core carries
 * it as opaque bytes ({@link ForwardedWriteCodec}).
 */
public sealed interface ForwardedWrite {

    long sessionId();

    record Write(long sessionId, int cxid, List<Id> identities, Op op) implements ForwardedWrite {
    }

    record OpenSession(long sessionId, int timeoutMs) implements ForwardedWrite {
    }

    record CloseSession(long sessionId) implements ForwardedWrite {
    }
}

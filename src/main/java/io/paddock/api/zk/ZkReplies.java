package io.paddock.api.zk;

import io.paddock.server.Reply;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.OpResult;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetAllChildrenNumberResponse;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.GetEphemeralsResponse;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataResponse;
import org.apache.zookeeper.proto.SyncResponse;
import org.apache.zookeeper.proto.WatcherEvent;
import org.apache.zookeeper.proto.WhoAmIResponse;

/**
 * Server frames, each complete with its 4-byte length: a ReplyHeader and the body record
 * ZooKeeper 3.9's FinalRequestProcessor sends for the opcode. An error reply has no body, as
 * ZooKeeper's; the client reads a body only when the header's err is 0.
 */
final class ZkReplies {

    /** ZooKeeper's KeeperState.SyncConnected: the state of every notification a server sends. */
    private static final int STATE_SYNC_CONNECTED = 3;

    private ZkReplies() {
    }

    /**
     * The reply to a request. {@code createType} gives, for the i-th op of a multi that created a
     * node, the result type ZooKeeper reports for it: create (a path) or create2 (a path and Stat).
     */
    static byte[] reply(int xid, int opCode, Reply reply, IntUnaryOperator createType) {
        OpResult result = reply.result();
        long zxid = reply.zxid();
        if (result instanceof OpResult.Error e) {
            return header(xid, zxid, e.code());
        }
        Record body = switch (opCode) {
            case ZkOpCode.CREATE -> new CreateResponse(as(OpResult.Created.class, result, opCode).path());
            case ZkOpCode.CREATE2, ZkOpCode.CREATE_CONTAINER, ZkOpCode.CREATE_TTL -> {
                OpResult.Created c = as(OpResult.Created.class, result, opCode);
                yield new Create2Response(c.path(), stat(c.stat()));
            }
            case ZkOpCode.EXISTS -> new ExistsResponse(stat(as(OpResult.StatResult.class, result, opCode).stat()));
            case ZkOpCode.GET_DATA -> {
                OpResult.Data d = as(OpResult.Data.class, result, opCode);
                yield new GetDataResponse(d.data(), stat(d.stat()));
            }
            case ZkOpCode.SET_DATA -> new SetDataResponse(stat(as(OpResult.StatResult.class, result, opCode).stat()));
            case ZkOpCode.GET_ACL -> {
                OpResult.AclList a = as(OpResult.AclList.class, result, opCode);
                yield new GetACLResponse(ZkData.aclsToJute(a.acl()), stat(a.stat()));
            }
            case ZkOpCode.SET_ACL -> new SetACLResponse(stat(as(OpResult.StatResult.class, result, opCode).stat()));
            case ZkOpCode.GET_CHILDREN ->
                    new GetChildrenResponse(new ArrayList<>(as(OpResult.Children.class, result, opCode).children()));
            case ZkOpCode.GET_CHILDREN2 -> {
                OpResult.Children c = as(OpResult.Children.class, result, opCode);
                yield new GetChildren2Response(new ArrayList<>(c.children()), stat(c.stat()));
            }
            case ZkOpCode.SYNC -> new SyncResponse(as(OpResult.Synced.class, result, opCode).path());
            case ZkOpCode.GET_EPHEMERALS ->
                    new GetEphemeralsResponse(new ArrayList<>(as(OpResult.Paths.class, result, opCode).paths()));
            case ZkOpCode.GET_ALL_CHILDREN_NUMBER ->
                    new GetAllChildrenNumberResponse(as(OpResult.Count.class, result, opCode).count());
            case ZkOpCode.WHO_AM_I -> new WhoAmIResponse(clientInfos(as(OpResult.Identities.class, result, opCode).ids()));
            // The client reads an ErrorResponse after an addWatch that succeeded.
            case ZkOpCode.ADD_WATCH -> new ErrorResponse(ErrorCode.OK.intValue());
            case ZkOpCode.MULTI, ZkOpCode.MULTI_READ -> null;
            // Answered by the header alone.
            case ZkOpCode.DELETE, ZkOpCode.DELETE_CONTAINER, ZkOpCode.CHECK, ZkOpCode.CLOSE_SESSION,
                    ZkOpCode.SET_WATCHES, ZkOpCode.SET_WATCHES2, ZkOpCode.REMOVE_WATCHES, ZkOpCode.CHECK_WATCHES,
                    ZkOpCode.PING, ZkOpCode.AUTH -> null;
            default -> throw new IllegalArgumentException("no reply is defined for opcode " + ZkOpCode.name(opCode));
        };
        if (opCode == ZkOpCode.MULTI || opCode == ZkOpCode.MULTI_READ) {
            OpResult.Multi m = as(OpResult.Multi.class, result, opCode);
            return frame(out -> {
                new ReplyHeader(xid, zxid, ErrorCode.OK.intValue()).serialize(out, "header");
                multiResponse(out, m.results(), createType);
            });
        }
        return frame(out -> {
            new ReplyHeader(xid, zxid, ErrorCode.OK.intValue()).serialize(out, "header");
            if (body != null) {
                body.serialize(out, "response");
            }
        });
    }

    /**
     * ZooKeeper's MultiResponse: each result behind a MultiHeader (its type, done false, its err),
     * then the done header (-1, true, -1). A failed multi comes as all-Error results (OK before
     * the culprit, its code, RuntimeInconsistency after) under a header whose err is 0: the client
     * reads the results and throws for the first non-OK one, with them attached.
     */
    private static void multiResponse(BinaryOutputArchive out, List<OpResult> results, IntUnaryOperator createType)
            throws IOException {
        for (int i = 0; i < results.size(); i++) {
            OpResult r = results.get(i);
            if (r instanceof OpResult.Error e) {
                int err = e.code().intValue();
                new MultiHeader(ZkOpCode.ERROR, false, err).serialize(out, "response");
                new ErrorResponse(err).serialize(out, "response");
            } else if (r instanceof OpResult.Created c) {
                int type = createType.applyAsInt(i);
                new MultiHeader(type, false, 0).serialize(out, "response");
                if (type == ZkOpCode.CREATE) {
                    new CreateResponse(c.path()).serialize(out, "response");
                } else {
                    new Create2Response(c.path(), stat(c.stat())).serialize(out, "response");
                }
            } else if (r instanceof OpResult.Deleted) {
                new MultiHeader(ZkOpCode.DELETE, false, 0).serialize(out, "response");
            } else if (r instanceof OpResult.StatResult s) {
                new MultiHeader(ZkOpCode.SET_DATA, false, 0).serialize(out, "response");
                new SetDataResponse(stat(s.stat())).serialize(out, "response");
            } else if (r instanceof OpResult.Checked) {
                new MultiHeader(ZkOpCode.CHECK, false, 0).serialize(out, "response");
            } else if (r instanceof OpResult.Data d) {
                new MultiHeader(ZkOpCode.GET_DATA, false, 0).serialize(out, "response");
                new GetDataResponse(d.data(), stat(d.stat())).serialize(out, "response");
            } else if (r instanceof OpResult.Children c) {
                new MultiHeader(ZkOpCode.GET_CHILDREN, false, 0).serialize(out, "response");
                new GetChildrenResponse(new ArrayList<>(c.children())).serialize(out, "response");
            } else {
                throw new IllegalArgumentException("a multi cannot answer " + r.getClass().getSimpleName());
            }
        }
        new MultiHeader(ZkOpCode.ERROR, true, ZkOpCode.ERROR).serialize(out, "response");
    }

    /**
     * whoAmI's ClientInfo per identity, as ZooKeeper's AuthUtil: the scheme, and the user its
     * provider names: a digest's user before the colon, an ip's address, "" where no provider.
     */
    private static List<ClientInfo> clientInfos(List<Id> ids) {
        List<ClientInfo> out = new ArrayList<>(ids.size());
        for (Id id : ids) {
            String user = switch (id.scheme()) {
                case "digest" -> id.id().split(":")[0];
                case "ip", "sasl", "x509" -> id.id();
                default -> "";
            };
            out.add(new ClientInfo(id.scheme(), user));
        }
        return out;
    }

    /** A header-only frame: errors, pings, auth, setWatches. */
    static byte[] header(int xid, long zxid, ErrorCode code) {
        return frame(out -> new ReplyHeader(xid, zxid, code.intValue()).serialize(out, "header"));
    }

    static byte[] notification(io.paddock.tree.WatchedEvent event) {
        return frame(out -> {
            // ZooKeeper 3.9 puts the zxid of the change that fired the watch in the header.
            new ReplyHeader(ZkOpCode.NOTIFICATION_XID, event.zxid(), ErrorCode.OK.intValue()).serialize(out, "header");
            new WatcherEvent(event.type().intValue(), STATE_SYNC_CONNECTED, event.path()).serialize(out, "response");
        });
    }

    /** A Stat for a body record; jute cannot write a null one, so a missing Stat is all zeros. */
    private static org.apache.zookeeper.data.Stat stat(io.paddock.tree.Stat s) {
        return s == null ? new org.apache.zookeeper.data.Stat() : ZkData.toJute(s);
    }

    private static <T extends OpResult> T as(Class<T> type, OpResult result, int opCode) {
        if (!type.isInstance(result)) {
            throw new IllegalArgumentException(ZkOpCode.name(opCode) + " cannot be answered with "
                    + (result == null ? "no result" : result.getClass().getSimpleName())
                    + "; expected " + type.getSimpleName());
        }
        return type.cast(result);
    }

    interface Body {
        void write(BinaryOutputArchive out) throws IOException;
    }

    /** The bytes {@code body} writes, behind their big-endian length. */
    static byte[] frame(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream data = new DataOutputStream(bytes);
        try {
            data.writeInt(0);
            body.write(new BinaryOutputArchive(data));
            data.flush();
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail.
            throw new UncheckedIOException(e);
        }
        byte[] frame = bytes.toByteArray();
        int len = frame.length - 4;
        frame[0] = (byte) (len >>> 24);
        frame[1] = (byte) (len >>> 16);
        frame[2] = (byte) (len >>> 8);
        frame[3] = (byte) len;
        return frame;
    }
}

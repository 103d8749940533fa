package io.paddock.api.zk;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.WatchKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.SetWatches2;
import org.apache.zookeeper.proto.SyncRequest;

/**
 * A request's body, after its RequestHeader, into a {@link ZkRequest}. A body that does not parse
 * is a {@link ZkInput.Malformed}; a body that parses but that ZooKeeper answers with an error
 * while keeping the connection is a {@link Refusal}, which becomes {@link ZkRequest.Invalid}.
 */
final class ZkRequestDecoder {

    /** ZooKeeper's WatcherType numbers (removeWatches, checkWatches). */
    private static final int WATCHER_CHILDREN = 1;
    private static final int WATCHER_DATA = 2;
    private static final int WATCHER_ANY = 3;
    private static final int WATCHER_PERSISTENT = 4;
    private static final int WATCHER_PERSISTENT_RECURSIVE = 5;

    /** ZooKeeper's AddWatchMode numbers. */
    private static final int ADD_WATCH_PERSISTENT = 0;
    private static final int ADD_WATCH_PERSISTENT_RECURSIVE = 1;

    /** A parsed request ZooKeeper refuses with {@code code}, the connection staying open. */
    private static final class Refusal extends Exception {
        final ErrorCode code;

        Refusal(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private ZkRequestDecoder() {
    }

    static ZkRequest decode(int xid, int type, ZkInput in) throws IOException, ZkProtocolException {
        try {
            return switch (type) {
                case ZkOpCode.PING -> new ZkRequest.Ping(xid);
                case ZkOpCode.CLOSE_SESSION -> new ZkRequest.CloseSession(xid);
                case ZkOpCode.AUTH -> {
                    AuthPacket p = read(in, new AuthPacket());
                    yield new ZkRequest.Auth(xid, p.getScheme(), p.getAuth());
                }
                // ZooKeeper answers reconfig with ReconfigDisabled unless reconfigEnabled is set;
                // Paddock changes its ensemble through its own configuration, never a client request.
                case ZkOpCode.RECONFIG -> throw new Refusal(ErrorCode.RECONFIG_DISABLED,
                        "reconfig is disabled: Paddock's ensemble is changed by configuration");
                // ZooKeeper's server sends deleteContainer to itself; its client has no call for it.
                case ZkOpCode.DELETE_CONTAINER -> throw new Refusal(ErrorCode.UNIMPLEMENTED,
                        "deleteContainer is the server's own request; empty containers are reaped by the server");
                case ZkOpCode.SASL -> throw new Refusal(ErrorCode.AUTH_FAILED,
                        "SASL is not supported; use addauth digest");
                case ZkOpCode.CREATE_SESSION, ZkOpCode.NOTIFICATION, ZkOpCode.ERROR -> throw new ZkProtocolException(
                        "opcode " + ZkOpCode.name(type) + " (" + type + ") is not a request a client may send");
                default -> {
                    Op op = operation(type, in);
                    if (op == null) {
                        throw new ZkProtocolException("unknown opcode " + type + " (xid " + xid + ")");
                    }
                    yield new ZkRequest.Operation(xid, type, op);
                }
            };
        } catch (Refusal r) {
            return new ZkRequest.Invalid(xid, type, r.code, r.getMessage());
        }
    }

    /** The Op of an Operation opcode, or null when {@code type} is none. */
    private static Op operation(int type, ZkInput in) throws IOException, Refusal {
        switch (type) {
            case ZkOpCode.CREATE, ZkOpCode.CREATE2, ZkOpCode.CREATE_CONTAINER -> {
                CreateRequest r = read(in, new CreateRequest());
                return create(type, r.getPath(), r.getData(), r.getAcl(), r.getFlags(), 0, false);
            }
            case ZkOpCode.CREATE_TTL -> {
                CreateTTLRequest r = read(in, new CreateTTLRequest());
                return create(type, r.getPath(), r.getData(), r.getAcl(), r.getFlags(), r.getTtl(), false);
            }
            case ZkOpCode.DELETE -> {
                DeleteRequest r = read(in, new DeleteRequest());
                return new Op.Delete(path(r.getPath(), type), r.getVersion());
            }
            case ZkOpCode.EXISTS -> {
                ExistsRequest r = read(in, new ExistsRequest());
                return new Op.Exists(path(r.getPath(), type), r.getWatch());
            }
            case ZkOpCode.GET_DATA -> {
                GetDataRequest r = read(in, new GetDataRequest());
                return new Op.GetData(path(r.getPath(), type), r.getWatch());
            }
            case ZkOpCode.SET_DATA -> {
                SetDataRequest r = read(in, new SetDataRequest());
                return new Op.SetData(path(r.getPath(), type), r.getData(), r.getVersion());
            }
            case ZkOpCode.GET_ACL -> {
                GetACLRequest r = read(in, new GetACLRequest());
                return new Op.GetAcl(path(r.getPath(), type));
            }
            case ZkOpCode.SET_ACL -> {
                SetACLRequest r = read(in, new SetACLRequest());
                return new Op.SetAcl(path(r.getPath(), type), acls(r.getAcl()), r.getVersion());
            }
            case ZkOpCode.GET_CHILDREN -> {
                GetChildrenRequest r = read(in, new GetChildrenRequest());
                return new Op.GetChildren(path(r.getPath(), type), r.getWatch());
            }
            case ZkOpCode.GET_CHILDREN2 -> {
                GetChildren2Request r = read(in, new GetChildren2Request());
                return new Op.GetChildren(path(r.getPath(), type), r.getWatch());
            }
            case ZkOpCode.SYNC -> {
                SyncRequest r = read(in, new SyncRequest());
                return new Op.Sync(path(r.getPath(), type));
            }
            case ZkOpCode.CHECK -> {
                CheckVersionRequest r = read(in, new CheckVersionRequest());
                return new Op.Check(path(r.getPath(), type), r.getVersion());
            }
            case ZkOpCode.MULTI -> {
                return new Op.Multi(multi(in, false));
            }
            case ZkOpCode.MULTI_READ -> {
                return new Op.MultiRead(multi(in, true));
            }
            case ZkOpCode.CHECK_WATCHES -> {
                CheckWatchesRequest r = read(in, new CheckWatchesRequest());
                return new Op.CheckWatches(path(r.getPath(), type), watcherKinds(r.getType()));
            }
            case ZkOpCode.REMOVE_WATCHES -> {
                RemoveWatchesRequest r = read(in, new RemoveWatchesRequest());
                return new Op.RemoveWatches(path(r.getPath(), type), watcherKinds(r.getType()));
            }
            case ZkOpCode.SET_WATCHES -> {
                SetWatches r = read(in, new SetWatches());
                return new Op.SetWatches(r.getRelativeZxid(), paths(r.getDataWatches()), paths(r.getExistWatches()),
                        paths(r.getChildWatches()), List.of(), List.of());
            }
            case ZkOpCode.SET_WATCHES2 -> {
                SetWatches2 r = read(in, new SetWatches2());
                return new Op.SetWatches(r.getRelativeZxid(), paths(r.getDataWatches()), paths(r.getExistWatches()),
                        paths(r.getChildWatches()), paths(r.getPersistentWatches()),
                        paths(r.getPersistentRecursiveWatches()));
            }
            case ZkOpCode.GET_EPHEMERALS -> {
                GetEphemeralsRequest r = read(in, new GetEphemeralsRequest());
                // ZooKeeper lists every ephemeral of the session for a null or blank prefix.
                String prefix = r.getPrefixPath();
                return new Op.GetEphemerals(prefix == null ? "/" : prefix);
            }
            case ZkOpCode.GET_ALL_CHILDREN_NUMBER -> {
                GetAllChildrenNumberRequest r = read(in, new GetAllChildrenNumberRequest());
                return new Op.GetAllChildrenNumber(path(r.getPath(), type));
            }
            case ZkOpCode.ADD_WATCH -> {
                AddWatchRequest r = read(in, new AddWatchRequest());
                return new Op.AddWatch(path(r.getPath(), type), addWatchKind(r.getMode()));
            }
            case ZkOpCode.WHO_AM_I -> {
                return new Op.WhoAmI();
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * A create's Op from its wire type and flags, as ZooKeeper 3.9 treats them.
     *
     * <p>At the top level the opcode decides the kind: createContainer makes a container whatever
     * non-TTL flags it carries, createTTL needs a TTL mode, and create/create2 with the container
     * flag make a plain persistent node (ZooKeeper logs a CreateTxn for them, not a
     * CreateContainerTxn). Inside a multi ZooKeeper rebuilds each create from its flags alone
     * (MultiOperationRecord calls Op.create(..., flags)), so there the container flag does make a
     * container. Unknown flags are BadArguments, as CreateMode.fromFlag throws.
     */
    private static Op.Create create(int type, String path, byte[] data, List<ACL> acl, int flags, long ttl,
                                    boolean inMulti) throws Refusal {
        String p = path(path, type);
        CreateMode mode = CreateMode.fromFlag(flags);
        if (mode == null) {
            throw new Refusal(ErrorCode.BAD_ARGUMENTS, "invalid create flags " + flags + " for " + p);
        }
        if (type == ZkOpCode.CREATE_TTL) {
            if (!mode.isTtl()) {
                throw new Refusal(ErrorCode.BAD_ARGUMENTS, "createTTL needs a TTL mode, not " + mode + ", for " + p);
            }
            return new Op.Create(p, data, acls(acl), mode, ttl);
        }
        if (mode.isTtl()) {
            // Without a ttl field the TTL is ZooKeeper's -1, which validateTTL refuses.
            throw new Refusal(ErrorCode.BAD_ARGUMENTS, "a TTL mode needs createTTL, for " + p);
        }
        if (type == ZkOpCode.CREATE_CONTAINER && !inMulti) {
            if (mode.isSequential()) {
                // ZooKeeper would make a sequential container; Paddock has no such mode.
                throw new Refusal(ErrorCode.UNIMPLEMENTED, "sequential containers are not supported, for " + p);
            }
            return new Op.Create(p, data, acls(acl), CreateMode.CONTAINER, 0);
        }
        if (mode == CreateMode.CONTAINER && !inMulti) {
            return new Op.Create(p, data, acls(acl), CreateMode.PERSISTENT, 0);
        }
        return new Op.Create(p, data, acls(acl), mode, 0);
    }

    /**
     * A MultiOperationRecord: MultiHeader-framed ops up to the done header. A multi takes create,
     * delete, setData and check; a multiRead takes getData and getChildren; ZooKeeper answers
     * either with MarshallingError when the other kind is mixed in.
     */
    private static List<Op> multi(ZkInput in, boolean read) throws IOException, Refusal {
        List<Op> ops = new ArrayList<>();
        MultiHeader h = read(in, new MultiHeader());
        Refusal wrongKind = null;
        while (!h.getDone()) {
            int type = h.getType();
            Op op;
            switch (type) {
                case ZkOpCode.CREATE, ZkOpCode.CREATE2, ZkOpCode.CREATE_CONTAINER -> {
                    CreateRequest r = read(in, new CreateRequest());
                    op = create(type, r.getPath(), r.getData(), r.getAcl(), r.getFlags(), 0, true);
                }
                case ZkOpCode.CREATE_TTL -> {
                    CreateTTLRequest r = read(in, new CreateTTLRequest());
                    op = create(type, r.getPath(), r.getData(), r.getAcl(), r.getFlags(), r.getTtl(), true);
                }
                case ZkOpCode.DELETE -> {
                    DeleteRequest r = read(in, new DeleteRequest());
                    op = new Op.Delete(path(r.getPath(), type), r.getVersion());
                }
                case ZkOpCode.SET_DATA -> {
                    SetDataRequest r = read(in, new SetDataRequest());
                    op = new Op.SetData(path(r.getPath(), type), r.getData(), r.getVersion());
                }
                case ZkOpCode.CHECK -> {
                    CheckVersionRequest r = read(in, new CheckVersionRequest());
                    op = new Op.Check(path(r.getPath(), type), r.getVersion());
                }
                // A multi's reads never leave watches (ZooKeeper's Op.getData takes no watch flag).
                case ZkOpCode.GET_DATA -> {
                    GetDataRequest r = read(in, new GetDataRequest());
                    op = new Op.GetData(path(r.getPath(), type), false);
                }
                case ZkOpCode.GET_CHILDREN -> {
                    GetChildrenRequest r = read(in, new GetChildrenRequest());
                    op = new Op.GetChildren(path(r.getPath(), type), false);
                }
                default -> throw new ZkInput.Malformed("op type " + type + " (" + ZkOpCode.name(type)
                        + ") cannot be in a multi");
            }
            boolean isRead = op instanceof Op.GetData || op instanceof Op.GetChildren;
            if (isRead != read && wrongKind == null) {
                // Keep parsing: a frame that does not parse closes the connection, which wins.
                wrongKind = new Refusal(ErrorCode.MARSHALLING_ERROR, (read ? "multiRead" : "multi")
                        + " cannot take " + ZkOpCode.name(type));
            }
            ops.add(op);
            h = read(in, new MultiHeader());
        }
        if (wrongKind != null) {
            throw wrongKind;
        }
        return List.copyOf(ops);
    }

    /**
     * What removeWatches/checkWatches of a WatcherType covers, as ZooKeeper 3.9's DataTree:
     * Children the standard child watch; Data the standard data watch, which is also what an
     * exists on a missing node leaves; Persistent and PersistentRecursive those; Any every kind.
     * An unknown number fails WatcherType.fromInt, which ZooKeeper answers as MarshallingError.
     */
    private static List<WatchKind> watcherKinds(int type) throws Refusal {
        return switch (type) {
            case WATCHER_CHILDREN -> List.of(WatchKind.CHILD);
            case WATCHER_DATA -> List.of(WatchKind.DATA, WatchKind.EXISTS);
            case WATCHER_ANY -> List.of(WatchKind.DATA, WatchKind.EXISTS, WatchKind.CHILD, WatchKind.PERSISTENT,
                    WatchKind.PERSISTENT_RECURSIVE);
            case WATCHER_PERSISTENT -> List.of(WatchKind.PERSISTENT);
            case WATCHER_PERSISTENT_RECURSIVE -> List.of(WatchKind.PERSISTENT_RECURSIVE);
            default -> throw new Refusal(ErrorCode.MARSHALLING_ERROR, "unknown watcher type " + type);
        };
    }

    /** An AddWatchMode; ZooKeeper's WatcherMode.fromZooDef throws on others: MarshallingError. */
    private static WatchKind addWatchKind(int mode) throws Refusal {
        return switch (mode) {
            case ADD_WATCH_PERSISTENT -> WatchKind.PERSISTENT;
            case ADD_WATCH_PERSISTENT_RECURSIVE -> WatchKind.PERSISTENT_RECURSIVE;
            default -> throw new Refusal(ErrorCode.MARSHALLING_ERROR, "unknown addWatch mode " + mode);
        };
    }

    /** The path as sent (the tree validates it); a null one is refused here, before anything trips on it. */
    private static String path(String path, int type) throws Refusal {
        if (path == null) {
            throw new Refusal(ErrorCode.BAD_ARGUMENTS, ZkOpCode.name(type) + " without a path");
        }
        return path;
    }

    /** setWatches' lists: a null list is none; a null path in one is refused. */
    private static List<String> paths(List<String> paths) throws Refusal {
        if (paths == null) {
            return List.of();
        }
        for (String p : paths) {
            path(p, ZkOpCode.SET_WATCHES);
        }
        return List.copyOf(paths);
    }

    /** An ACL as sent; null stays null, which the tree refuses as InvalidACL as ZooKeeper does. */
    private static List<Acl> acls(List<ACL> acl) {
        return ZkData.aclsFromJute(acl);
    }

    private static <T extends Record> T read(ZkInput in, T record) throws IOException {
        record.deserialize(in, "request");
        return record;
    }
}

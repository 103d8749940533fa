package io.paddock.server;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@link ForwardedWrite}, as a learner sends it to the leader inside a ZAB REQUEST.
 *
 * <pre>
 * version byte (1), kind byte, then by kind:
 *   1 Write         sessionId long, cxid int, identities (count int, (scheme Str, id Str)*), Op
 *   2 OpenSession   sessionId long, timeoutMs int
 *   3 CloseSession  sessionId long
 * Op: kind byte, then by kind:
 *   1 Create     path Str, data Bytes, acl Acls, mode int (CreateMode.flag), ttlMs long
 *   2 Delete     path Str, version int
 *   3 DeleteAll  path Str
 *   4 SetData    path Str, data Bytes, version int
 *   5 SetAcl     path Str, acl Acls, version int
 *   6 Check      path Str, version int
 *   7 Multi      count int, Op * count
 *   8 Reap       path Str
 * Str: present byte, then modified UTF-8 (DataOutput.writeUTF); Bytes: length int (-1 null), bytes;
 * Acls: count int (-1 null), (perms int, scheme Str, id Str) * count
 * </pre>
 */
final class ForwardedWriteCodec {

    private static final byte VERSION = 1;
    private static final int MAX_DEPTH = 16;

    private ForwardedWriteCodec() {
    }

    static byte[] encode(ForwardedWrite w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            if (w instanceof ForwardedWrite.Write write) {
                out.writeByte(1);
                out.writeLong(write.sessionId());
                out.writeInt(write.cxid());
                out.writeInt(write.identities().size());
                for (Id id : write.identities()) {
                    writeStr(out, id.scheme());
                    writeStr(out, id.id());
                }
                writeOp(out, write.op(), 0);
            } else if (w instanceof ForwardedWrite.OpenSession open) {
                out.writeByte(2);
                out.writeLong(open.sessionId());
                out.writeInt(open.timeoutMs());
            } else {
                out.writeByte(3);
                out.writeLong(w.sessionId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException for bytes that are not a forwarded write of this version */
    static ForwardedWrite decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("forwarded write of unknown version " + version);
            }
            byte kind = in.readByte();
            return switch (kind) {
                case 1 -> {
                    long sessionId = in.readLong();
                    int cxid = in.readInt();
                    int n = in.readInt();
                    checkCount(n, in);
                    List<Id> identities = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        identities.add(new Id(readStr(in), readStr(in)));
                    }
                    yield new ForwardedWrite.Write(sessionId, cxid, List.copyOf(identities), readOp(in, 0));
                }
                case 2 -> new ForwardedWrite.OpenSession(in.readLong(), in.readInt());
                case 3 -> new ForwardedWrite.CloseSession(in.readLong());
                default -> throw new IllegalArgumentException("forwarded write of unknown kind " + kind);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated forwarded write: " + e.getMessage(), e);
        }
    }

    private static void writeOp(DataOutputStream out, Op op, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("multi nested deeper than " + MAX_DEPTH);
        }
        if (op instanceof Op.Create c) {
            out.writeByte(1);
            writeStr(out, c.path());
            writeBytes(out, c.data());
            writeAcls(out, c.acl());
            out.writeInt(c.mode().flag());
            out.writeLong(c.ttlMs());
        } else if (op instanceof Op.Delete d) {
            out.writeByte(2);
            writeStr(out, d.path());
            out.writeInt(d.version());
        } else if (op instanceof Op.DeleteAll d) {
            out.writeByte(3);
            writeStr(out, d.path());
        } else if (op instanceof Op.SetData s) {
            out.writeByte(4);
            writeStr(out, s.path());
            writeBytes(out, s.data());
            out.writeInt(s.version());
        } else if (op instanceof Op.SetAcl s) {
            out.writeByte(5);
            writeStr(out, s.path());
            writeAcls(out, s.acl());
            out.writeInt(s.version());
        } else if (op instanceof Op.Check c) {
            out.writeByte(6);
            writeStr(out, c.path());
            out.writeInt(c.version());
        } else if (op instanceof Op.Multi m) {
            out.writeByte(7);
            out.writeInt(m.ops().size());
            for (Op o : m.ops()) {
                writeOp(out, o, depth + 1);
            }
        } else if (op instanceof Op.Reap r) {
            out.writeByte(8);
            writeStr(out, r.path());
        } else {
            throw new IllegalArgumentException("not a write: " + op);
        }
    }

    private static Op readOp(DataInputStream in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("multi nested deeper than " + MAX_DEPTH);
        }
        byte kind = in.readByte();
        return switch (kind) {
            case 1 -> new Op.Create(readStr(in), readBytes(in), readAcls(in), CreateMode.fromFlag(in.readInt()),
                    in.readLong());
            case 2 -> new Op.Delete(readStr(in), in.readInt());
            case 3 -> new Op.DeleteAll(readStr(in));
            case 4 -> new Op.SetData(readStr(in), readBytes(in), in.readInt());
            case 5 -> new Op.SetAcl(readStr(in), readAcls(in), in.readInt());
            case 6 -> new Op.Check(readStr(in), in.readInt());
            case 7 -> {
                int n = in.readInt();
                checkCount(n, in);
                List<Op> ops = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ops.add(readOp(in, depth + 1));
                }
                yield new Op.Multi(List.copyOf(ops));
            }
            case 8 -> new Op.Reap(readStr(in));
            default -> throw new IllegalArgumentException("forwarded op of unknown kind " + kind);
        };
    }

    private static void writeStr(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readStr(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        checkCount(n, in);
        return in.readNBytes(n);
    }

    private static void writeAcls(DataOutputStream out, List<Acl> acls) throws IOException {
        out.writeInt(acls == null ? -1 : acls.size());
        if (acls != null) {
            for (Acl a : acls) {
                out.writeInt(a.perms());
                writeStr(out, a.id().scheme());
                writeStr(out, a.id().id());
            }
        }
    }

    private static List<Acl> readAcls(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        checkCount(n, in);
        List<Acl> acls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            acls.add(new Acl(in.readInt(), new Id(readStr(in), readStr(in))));
        }
        return List.copyOf(acls);
    }

    /** A count can never exceed the bytes left, so garbage cannot make decoding allocate much. */
    private static void checkCount(int n, DataInputStream in) throws IOException {
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("count " + n + " exceeds the " + in.available() + " bytes left");
        }
    }
}

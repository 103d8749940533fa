package io.paddock.server;

import akka.serialization.ByteBufferSerializer;
import akka.serialization.SerializerWithStringManifest;
import io.paddock.storage.CorruptRecordException;
import io.paddock.storage.TxnCodec;
import io.paddock.tree.TxnRecord;
import io.paddock.zab.PeerMessage;
import java.io.NotSerializableException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of the peer messages that every write sends: PROPOSAL, ACK, COMMIT and INFORM,
 * a learner's REQUEST and SYNC with the answer to it, and the PINGs both ways. Bound to those
 * records in application.conf; the rest (election and a learner's sync with a new leader, a few
 * messages per leader change) stay with jackson-cbor. Encoding these by hand takes a write's
 * four messages from 5–16 µs each through Jackson to well under a microsecond.
 *
 * <pre>
 * manifest  fields, big-endian
 *   P  Proposal    prevZxid long, origin long, tag long, record (its log bytes, TxnCodec) to the end
 *   I  Inform      as Proposal
 *   A  Ack         zxid long
 *   C  Commit      zxid long
 *   R  Request     seq long, tag long, request (a ForwardedWrite's bytes) to the end
 *   S  Sync        seq long, tag long
 *   Y  SyncReply   tag long, zxid long
 *   G  Ping        committedZxid long, lastZxid long, syncsAnswered long
 *   H  PingAnswer  ackedZxid long, lastSeq long, count int, sessionId long * count
 * </pre>
 *
 * Bytes that do not decode (cut short, left over, an unknown manifest, a record that is not one)
 * throw {@link NotSerializableException} saying what was wrong.
 */
public final class PeerMessageSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {

    /** Akka's serializer ids 0–40 are its own; this one is Paddock's and must never change. */
    static final int IDENTIFIER = 0x50444b;

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof PeerMessage.Proposal) {
            return "P";
        } else if (o instanceof PeerMessage.Inform) {
            return "I";
        } else if (o instanceof PeerMessage.Ack) {
            return "A";
        } else if (o instanceof PeerMessage.Commit) {
            return "C";
        } else if (o instanceof PeerMessage.Request) {
            return "R";
        } else if (o instanceof PeerMessage.Sync) {
            return "S";
        } else if (o instanceof PeerMessage.SyncReply) {
            return "Y";
        } else if (o instanceof PeerMessage.Ping) {
            return "G";
        } else if (o instanceof PeerMessage.PingAnswer) {
            return "H";
        }
        throw new IllegalArgumentException("not a peer message this serializer writes: " + o.getClass().getName());
    }

    @Override
    public byte[] toBinary(Object o) {
        ByteBuffer buf = ByteBuffer.allocate(size(o));
        toBinary(o, buf);
        return buf.array();
    }

    @Override
    public void toBinary(Object o, ByteBuffer buf) {
        if (o instanceof PeerMessage.Proposal p) {
            putRecord(buf, p.prevZxid(), p.origin(), p.tag(), p.record());
        } else if (o instanceof PeerMessage.Inform i) {
            putRecord(buf, i.prevZxid(), i.origin(), i.tag(), i.record());
        } else if (o instanceof PeerMessage.Ack a) {
            buf.putLong(a.zxid());
        } else if (o instanceof PeerMessage.Commit c) {
            buf.putLong(c.zxid());
        } else if (o instanceof PeerMessage.Request r) {
            buf.putLong(r.seq()).putLong(r.tag()).put(r.request());
        } else if (o instanceof PeerMessage.Sync s) {
            buf.putLong(s.seq()).putLong(s.tag());
        } else if (o instanceof PeerMessage.SyncReply s) {
            buf.putLong(s.tag()).putLong(s.zxid());
        } else if (o instanceof PeerMessage.Ping p) {
            buf.putLong(p.committedZxid()).putLong(p.lastZxid()).putLong(p.syncsAnswered());
        } else if (o instanceof PeerMessage.PingAnswer a) {
            buf.putLong(a.ackedZxid()).putLong(a.lastSeq()).putInt(a.sessionIds().size());
            for (long id : a.sessionIds()) {
                buf.putLong(id);
            }
        } else {
            throw new IllegalArgumentException("not a peer message this serializer writes: " + o.getClass().getName());
        }
    }

    /** The bytes {@link #toBinary} writes for {@code o}. */
    static int size(Object o) {
        if (o instanceof PeerMessage.Proposal p) {
            return 24 + TxnCodec.size(p.record());
        } else if (o instanceof PeerMessage.Inform i) {
            return 24 + TxnCodec.size(i.record());
        } else if (o instanceof PeerMessage.Request r) {
            return 16 + r.request().length;
        } else if (o instanceof PeerMessage.PingAnswer a) {
            return 20 + 8 * a.sessionIds().size();
        } else if (o instanceof PeerMessage.Ping) {
            return 24;
        } else if (o instanceof PeerMessage.Sync || o instanceof PeerMessage.SyncReply) {
            return 16;
        }
        return 8;
    }

    private static void putRecord(ByteBuffer buf, long prevZxid, long origin, long tag, TxnRecord record) {
        buf.putLong(prevZxid).putLong(origin).putLong(tag);
        if (buf.hasArray()) {
            buf.position(buf.position() + TxnCodec.encode(record, buf.array(), buf.arrayOffset() + buf.position()));
        } else {
            buf.put(TxnCodec.encode(record));
        }
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        return fromBinary(ByteBuffer.wrap(bytes), manifest);
    }

    @Override
    public Object fromBinary(ByteBuffer buf, String manifest) throws NotSerializableException {
        try {
            Object message = switch (manifest) {
                case "P" -> proposal(buf);
                case "I" -> inform(buf);
                case "A" -> new PeerMessage.Ack(buf.getLong());
                case "C" -> new PeerMessage.Commit(buf.getLong());
                case "R" -> new PeerMessage.Request(buf.getLong(), buf.getLong(), rest(buf));
                case "S" -> new PeerMessage.Sync(buf.getLong(), buf.getLong());
                case "Y" -> new PeerMessage.SyncReply(buf.getLong(), buf.getLong());
                case "G" -> new PeerMessage.Ping(buf.getLong(), buf.getLong(), buf.getLong());
                case "H" -> pingAnswer(buf);
                default -> throw new NotSerializableException("unknown peer message manifest '" + manifest + "'");
            };
            if (buf.hasRemaining()) {
                throw new NotSerializableException(buf.remaining() + " bytes left over after a peer message '"
                        + manifest + "'");
            }
            return message;
        } catch (BufferUnderflowException e) {
            throw new NotSerializableException("a peer message '" + manifest + "' cut short");
        }
    }

    private static PeerMessage.Proposal proposal(ByteBuffer buf) throws NotSerializableException {
        long prevZxid = buf.getLong();
        long origin = buf.getLong();
        long tag = buf.getLong();
        return new PeerMessage.Proposal(record(buf), prevZxid, origin, tag);
    }

    private static PeerMessage.Inform inform(ByteBuffer buf) throws NotSerializableException {
        long prevZxid = buf.getLong();
        long origin = buf.getLong();
        long tag = buf.getLong();
        return new PeerMessage.Inform(record(buf), prevZxid, origin, tag);
    }

    /** The rest of the bytes (Java evaluates arguments left to right, so this comes after the longs). */
    private static byte[] rest(ByteBuffer buf) {
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        return bytes;
    }

    private static TxnRecord record(ByteBuffer buf) throws NotSerializableException {
        int length = buf.remaining();
        try {
            TxnRecord record = buf.hasArray()
                    ? TxnCodec.decode(buf.array(), buf.arrayOffset() + buf.position(), length)
                    : TxnCodec.decode(rest(buf), 0, length);
            buf.position(buf.limit());
            return record;
        } catch (CorruptRecordException e) {
            throw new NotSerializableException("a peer message's transaction record does not decode: " + e.getMessage());
        }
    }

    private static PeerMessage.PingAnswer pingAnswer(ByteBuffer buf) throws NotSerializableException {
        long ackedZxid = buf.getLong();
        long lastSeq = buf.getLong();
        int count = buf.getInt();
        if (count < 0 || count > buf.remaining() / 8) {
            throw new NotSerializableException("a PING answer with " + count + " sessions in " + buf.remaining()
                    + " bytes");
        }
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(buf.getLong());
        }
        return new PeerMessage.PingAnswer(List.copyOf(ids), ackedZxid, lastSeq);
    }
}

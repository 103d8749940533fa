package io.paddock.bench;

import io.paddock.tree.ErrorCode;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.proto.RequestHeader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * ZooKeeper's client wire format as far as the driver speaks it: the numbers (ZooDefs.OpCode and
 * the special xids of ClientCnxn, which live in ZooKeeper's client jar that the driver does not
 * use), and frames of jute records built in and read from buffers that each connection reuses.
 * A frame is a 4-byte big-endian length and then the bytes: a request is a RequestHeader (xid,
 * type) and its body, a reply a ReplyHeader (xid, zxid, err) and its body.
 */
final class ZkWire {

    static final int CREATE = 1;
    static final int DELETE = 2;
    static final int EXISTS = 3;
    static final int GET_DATA = 4;
    static final int SET_DATA = 5;
    static final int GET_CHILDREN = 8;
    static final int CLOSE_SESSION = -11;

    /** Replies with these xids answer no request of ours: watch events, pings, auth and setWatches. */
    static final int NOTIFICATION_XID = -1;
    static final int PING_XID = -2;

    static final int PROTOCOL_VERSION = 0;
    static final int DEFAULT_PORT = 2181;
    /** What the driver asks for; the server negotiates it into its own bounds (ZooKeeper: 2 to 20 ticks). */
    static final int SESSION_TIMEOUT_MS = 30_000;
    static final int PASSWORD_BYTES = 16;
    /** CreateMode's flags: PERSISTENT, EPHEMERAL, EPHEMERAL_SEQUENTIAL. */
    static final int PERSISTENT = 0;
    static final int EPHEMERAL = 1;
    static final int EPHEMERAL_SEQUENTIAL = 3;
    /** Watcher.Event.EventType's numbers of the events the driver waits for. */
    static final int NODE_DELETED = 2;
    static final int NODE_DATA_CHANGED = 3;
    /** Perms.ALL: read, write, create, delete, admin. */
    static final int PERMS_ALL = 31;
    /** ZooDefs.Ids.OPEN_ACL_UNSAFE: everyone may do everything, as the HTTP API's default ACL. */
    static final List<ACL> OPEN_ACL_UNSAFE = List.of(new ACL(PERMS_ALL, new Id("world", "anyone")));

    /**
     * The largest frame read: ZooKeeper's default jute.maxbuffer (0xfffff) plus room for the
     * headers and Stat of a reply around data of that size. A larger length is a broken stream.
     */
    static final int MAX_FRAME = 0xfffff + 1024;

    private ZkWire() {
    }

    /** A reply's error as ZooKeeper's clients name it ({@code NoNode}); {@code Error<n>} for a code this driver does not know. */
    static String errorName(int err) {
        try {
            return ErrorCode.of(err).codeName();
        } catch (IllegalArgumentException e) {
            return "Error" + err;
        }
    }

    /**
     * Builds frames into one growing buffer that is kept from request to request: {@link #clear()},
     * any number of {@code append}s (requests that go out together), then {@link #frames()} to write.
     */
    static final class Encoder {
        private final Buffer buffer = new Buffer();
        private final BinaryOutputArchive archive = new BinaryOutputArchive(new DataOutputStream(buffer));
        private final RequestHeader header = new RequestHeader();

        void clear() {
            buffer.reset();
        }

        /** Appends one request: its header with {@code xid} and {@code type}, then {@code body} unless null. */
        void append(int xid, int type, Record body) throws IOException {
            int start = buffer.size();
            archive.writeInt(0, "len"); // patched below, once the length is known
            header.setXid(xid);
            header.setType(type);
            header.serialize(archive, "header");
            if (body != null) {
                body.serialize(archive, "request");
            }
            buffer.patchLength(start);
        }

        /** Appends a frame that is just a record: the connect request. */
        void appendRecord(Record record) throws IOException {
            int start = buffer.size();
            archive.writeInt(0, "len");
            record.serialize(archive, "connect");
            buffer.patchLength(start);
        }

        /** The frames appended since {@link #clear()}, as a buffer over the same bytes (valid until the next append). */
        ByteBuffer frames() {
            return buffer.view();
        }
    }

    /**
     * One frame read, kept in a buffer that grows to the largest frame seen and is then reused;
     * {@link #archive()} reads the frame's records from its start.
     */
    static final class Frame {
        private final Input input = new Input();
        private final BinaryInputArchive archive = new BinaryInputArchive(new DataInputStream(input));
        private byte[] bytes = new byte[256];
        private int length;

        /** A buffer of at least {@code n} bytes to read a frame of that length into; the old content is dropped. */
        byte[] prepare(int n) {
            if (bytes.length < n) {
                bytes = new byte[Math.max(n, bytes.length * 2)];
            }
            length = n;
            input.over(bytes, n);
            return bytes;
        }

        int length() {
            return length;
        }

        /** Makes the frame {@code n} bytes long, its content kept and zeros added, and reads it again from its start. */
        void padTo(int n) {
            if (bytes.length < n) {
                bytes = Arrays.copyOf(bytes, n);
            }
            Arrays.fill(bytes, length, Math.max(length, n), (byte) 0);
            length = n;
            input.over(bytes, n);
        }

        /** Reads the frame's records, the first from its first byte. */
        BinaryInputArchive archive() {
            return archive;
        }
    }

    /** A ByteArrayOutputStream whose array is reused and can be read in place. */
    private static final class Buffer extends ByteArrayOutputStream {
        private ByteBuffer view;

        Buffer() {
            super(512);
        }

        /** Writes the length of the frame that starts at {@code start} (its bytes after the 4 of the length) into its first 4 bytes. */
        void patchLength(int start) {
            int n = count - start - 4;
            buf[start] = (byte) (n >>> 24);
            buf[start + 1] = (byte) (n >>> 16);
            buf[start + 2] = (byte) (n >>> 8);
            buf[start + 3] = (byte) n;
        }

        /** A view of the bytes written, kept from call to call while the array stays the same. */
        ByteBuffer view() {
            if (view == null || view.array() != buf) {
                view = ByteBuffer.wrap(buf);
            }
            view.clear().limit(count);
            return view;
        }
    }

    /** A ByteArrayInputStream that can be pointed at a new array and length without a new stream. */
    private static final class Input extends ByteArrayInputStream {
        Input() {
            super(new byte[0]);
        }

        void over(byte[] bytes, int length) {
            buf = bytes;
            pos = 0;
            mark = 0;
            count = length;
        }
    }
}

package io.paddock.api.zk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.jute.Index;
import org.apache.jute.InputArchive;
import org.apache.jute.Record;

/**
 * Jute's binary encoding read from one frame, for Apache's record classes to deserialize from.
 * Unlike BinaryInputArchive it bounds every declared length by the bytes the frame still holds, so
 * a stranger's length cannot make the server allocate more than the frame it already sent, and it
 * refuses negative lengths other than jute's -1 (null) instead of reading them as empty. Problems
 * surface as {@link Malformed}, whose message names the field.
 */
final class ZkInput implements InputArchive {

    /** The smallest encoding of any element of a vector in ZooKeeper's protocol (a string's length). */
    private static final int MIN_ELEMENT_BYTES = 4;

    /** A record that does not fit its frame. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    private final ByteBuffer in;

    ZkInput(ByteBuffer frame) {
        this.in = frame.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** Bytes not read yet. */
    int remaining() {
        return in.remaining();
    }

    private void need(int bytes, String tag) throws Malformed {
        if (in.remaining() < bytes) {
            throw new Malformed("truncated at '" + tag + "': needs " + bytes + " bytes, " + in.remaining() + " left");
        }
    }

    /** A declared byte or element count: -1 is null, anything else must be non-negative and fit. */
    private int length(String tag, int unitBytes) throws Malformed {
        need(4, tag);
        int len = in.getInt();
        if (len == -1) {
            return -1;
        }
        if (len < 0) {
            throw new Malformed("negative length " + len + " for '" + tag + "'");
        }
        if ((long) len * unitBytes > in.remaining()) {
            throw new Malformed("'" + tag + "' declares " + len + (unitBytes == 1 ? " bytes" : " elements")
                    + " but only " + in.remaining() + " bytes are left in the frame");
        }
        return len;
    }

    @Override
    public byte readByte(String tag) throws IOException {
        need(1, tag);
        return in.get();
    }

    @Override
    public boolean readBool(String tag) throws IOException {
        return readByte(tag) != 0;
    }

    @Override
    public int readInt(String tag) throws IOException {
        need(4, tag);
        return in.getInt();
    }

    @Override
    public long readLong(String tag) throws IOException {
        need(8, tag);
        return in.getLong();
    }

    @Override
    public float readFloat(String tag) throws IOException {
        need(4, tag);
        return in.getFloat();
    }

    @Override
    public double readDouble(String tag) throws IOException {
        need(8, tag);
        return in.getDouble();
    }

    @Override
    public String readString(String tag) throws IOException {
        byte[] b = readBuffer(tag);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] readBuffer(String tag) throws IOException {
        int len = length(tag, 1);
        if (len == -1) {
            return null;
        }
        byte[] b = new byte[len];
        in.get(b);
        return b;
    }

    @Override
    public void readRecord(Record r, String tag) throws IOException {
        r.deserialize(this, tag);
    }

    @Override
    public void startRecord(String tag) {
    }

    @Override
    public void endRecord(String tag) {
    }

    @Override
    public Index startVector(String tag) throws IOException {
        int count = length(tag, MIN_ELEMENT_BYTES);
        if (count == -1) {
            return null;
        }
        return new Index() {
            private int left = count;

            @Override
            public boolean done() {
                return left <= 0;
            }

            @Override
            public void incr() {
                left--;
            }
        };
    }

    @Override
    public void endVector(String tag) {
    }

    @Override
    public Index startMap(String tag) throws IOException {
        throw new Malformed("'" + tag + "' is a map, which ZooKeeper's client protocol never sends");
    }

    @Override
    public void endMap(String tag) {
    }
}

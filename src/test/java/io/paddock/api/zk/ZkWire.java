package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/** Test helpers: frames built and read as ZooKeeper's own client builds and reads them. */
final class ZkWire {

    private ZkWire() {
    }

    /** A request payload (no length prefix), as ClientCnxn.Packet writes it: header, then body. */
    static ByteBuffer request(int xid, int type, Record body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        try {
            new RequestHeader(xid, type).serialize(out, "header");
            if (body != null) {
                body.serialize(out, "request");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** The bytes of records written one after the other. */
    static byte[] bytes(Record... records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
        try {
            for (Record r : records) {
                r.serialize(out, "r");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ByteBuffer buffer(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    static byte[] prefix(ByteBuffer b, int n) {
        byte[] all = new byte[b.remaining()];
        b.duplicate().get(all);
        return Arrays.copyOf(all, n);
    }

    /** A server frame as the client reads it: the length prefix checked, then the records. */
    static final class Reader {
        final BinaryInputArchive in;
        private final DataInputStream data;

        Reader(byte[] frame) {
            int len = ByteBuffer.wrap(frame).getInt();
            assertEquals(frame.length - 4, len, "length prefix");
            data = new DataInputStream(new ByteArrayInputStream(frame, 4, frame.length - 4));
            in = BinaryInputArchive.getArchive(data);
        }

        ReplyHeader header() {
            return read(new ReplyHeader());
        }

        <T extends Record> T read(T record) {
            try {
                record.deserialize(in, "response");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return record;
        }

        int remaining() {
            try {
                return data.available();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

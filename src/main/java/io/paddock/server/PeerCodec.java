package io.paddock.server;

import akka.serialization.Serialization;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import io.paddock.zab.PeerMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * A peer message as the bytes of one {@link PeerLinks} frame: the serializer's id and manifest
 * that Akka's serialization chose for it (by application.conf's bindings: PeerMessageSerializer
 * for the messages of every write, jackson-cbor for the rest), then its serialized form. The
 * serializer is Akka's, so a peer message is written the same way whether it travels on a link
 * or is checked in a test.
 */
final class PeerCodec {

    private final Serialization serialization;

    PeerCodec(Serialization serialization) {
        this.serialization = serialization;
    }

    byte[] encode(PeerMessage message) {
        Serializer serializer = serialization.findSerializerFor(message);
        String manifest = Serializers.manifestFor(serializer, message);
        byte[] body = serializer.toBinary(message);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + manifest.length() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(serializer.identifier());
            out.writeUTF(manifest);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IOException when the bytes are not a peer message this server can read (cut short, an
     *                     unknown serializer or type, a malformed body), with the reason
     */
    PeerMessage decode(byte[] frame) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
        int serializerId = in.readInt();
        String manifest = in.readUTF();
        int offset = frame.length - in.available();
        Object message;
        try {
            message = serialization.deserializeByteBuffer(ByteBuffer.wrap(frame, offset, frame.length - offset),
                    serializerId, manifest);
        } catch (Exception e) {
            throw new IOException("unreadable peer message (serializer " + serializerId + ", manifest '" + manifest
                    + "'): " + e.getMessage(), e);
        }
        if (!(message instanceof PeerMessage m)) {
            throw new IOException("not a peer message: " + message.getClass().getName());
        }
        return m;
    }
}

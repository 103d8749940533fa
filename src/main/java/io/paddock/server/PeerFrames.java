package io.paddock.server;

import akka.serialization.Serialization;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import io.paddock.zab.PeerMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts peer messages into {@link PeerFrame}s and joins them again, so that no Artery frame exceeds
 * {@code maxChunkBytes} however big a snapshot grows. One instance per peer actor: it numbers the
 * outgoing messages and keeps, per sending server, the message being joined.
 */
final class PeerFrames {

    private final Serialization serialization;
    private final long myId;
    private final int maxChunkBytes;
    private long nextMessageId;
    private final Map<Long, Partial> partials = new HashMap<>();

    private static final class Partial {
        final long messageId;
        final int chunks;
        final int serializerId;
        final String manifest;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int next;

        Partial(PeerFrame first) {
            this.messageId = first.messageId();
            this.chunks = first.chunks();
            this.serializerId = first.serializerId();
            this.manifest = first.manifest();
        }
    }

    PeerFrames(Serialization serialization, long myId, int maxChunkBytes) {
        this.serialization = serialization;
        this.myId = myId;
        this.maxChunkBytes = maxChunkBytes;
    }

    /** The frames that carry {@code message}, in the order they must be sent. */
    List<PeerFrame> frames(PeerMessage message) {
        Serializer serializer = serialization.findSerializerFor(message);
        String manifest = Serializers.manifestFor(serializer, message);
        byte[] bytes = serializer.toBinary(message);
        long id = nextMessageId++;
        int chunks = Math.max(1, (bytes.length + maxChunkBytes - 1) / maxChunkBytes);
        if (chunks == 1) {
            return List.of(new PeerFrame(myId, id, 0, 1, serializer.identifier(), manifest, bytes));
        }
        List<PeerFrame> frames = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            int from = i * maxChunkBytes;
            byte[] piece = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + maxChunkBytes));
            frames.add(new PeerFrame(myId, id, i, chunks, serializer.identifier(), manifest, piece));
        }
        return frames;
    }

    /**
     * Takes one received frame; returns the whole message once its last chunk is in, else null.
     *
     * @throws java.io.NotSerializableException or another exception when the joined bytes are not
     *                                          a message this server knows
     */
    PeerMessage accept(PeerFrame frame) throws Exception {
        if (frame.chunks() == 1) {
            partials.remove(frame.from());
            return deserialize(frame.bytes(), frame.serializerId(), frame.manifest());
        }
        Partial p = partials.get(frame.from());
        if (frame.chunk() == 0) {
            p = new Partial(frame);
            partials.put(frame.from(), p);
        } else if (p == null || p.messageId != frame.messageId() || p.next != frame.chunk()) {
            // A chunk missing before this one: the link broke, and the message is lost with it.
            partials.remove(frame.from());
            return null;
        }
        p.bytes.write(frame.bytes(), 0, frame.bytes().length);
        p.next++;
        if (p.next < p.chunks) {
            return null;
        }
        partials.remove(frame.from());
        return deserialize(p.bytes.toByteArray(), p.serializerId, p.manifest);
    }

    private PeerMessage deserialize(byte[] bytes, int serializerId, String manifest) throws Exception {
        Object message = serialization.deserialize(bytes, serializerId, manifest).get();
        if (!(message instanceof PeerMessage m)) {
            throw new IllegalArgumentException("not a peer message: " + message.getClass().getName());
        }
        return m;
    }
}

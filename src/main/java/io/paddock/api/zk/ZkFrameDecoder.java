package io.paddock.api.zk;

import akka.util.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Cuts the bytes of one client connection into ZooKeeper's frames: a 4-byte big-endian length,
 * then that many bytes. The very first four bytes of a connection may instead be a four-letter
 * word ({@code ruok}, {@code srvr}, ...), which ZooKeeper recognises before reading any length;
 * after a word nothing more is read. A length below zero or above the limit is a protocol error:
 * the caller closes the connection rather than allocate what a stranger declared.
 */
final class ZkFrameDecoder {

    sealed interface Frame {
    }

    /** The connection's first four bytes were a four-letter word. */
    record Word(String word) implements Frame {
    }

    /** One frame's payload, without its length prefix. */
    record Packet(ByteBuffer payload) implements Frame {
    }

    private final int maxFrameBytes;
    private final IntPredicate isWord;
    private ByteString buffer = ByteString.emptyByteString();
    private boolean first = true;
    private boolean done;

    /**
     * @param maxFrameBytes the largest payload accepted
     * @param isWord        whether four bytes, read as a big-endian int, are a four-letter word
     */
    ZkFrameDecoder(int maxFrameBytes, IntPredicate isWord) {
        this.maxFrameBytes = maxFrameBytes;
        this.isWord = isWord;
    }

    /** The frames completed by {@code chunk}, in order; bytes of an unfinished frame are kept. */
    List<Frame> feed(ByteString chunk) throws ZkProtocolException {
        if (done) {
            return List.of();
        }
        buffer = buffer.concat(chunk);
        List<Frame> frames = new ArrayList<>(2);
        while (buffer.size() >= 4) {
            int head = buffer.iterator().getInt(ByteOrder.BIG_ENDIAN);
            if (first && isWord.test(head)) {
                done = true;
                buffer = ByteString.emptyByteString();
                frames.add(new Word(buffer4(head)));
                return frames;
            }
            if (head < 0 || head > maxFrameBytes) {
                throw new ZkProtocolException("frame length " + head + " is outside 0.." + maxFrameBytes
                        + (first ? " (and the first four bytes are no four-letter word)" : ""));
            }
            if (buffer.size() < 4 + head) {
                break;
            }
            first = false;
            ByteBuffer payload = buffer.slice(4, 4 + head).toByteBuffer();
            buffer = buffer.drop(4 + head);
            frames.add(new Packet(payload));
        }
        return frames;
    }

    /** Bytes held for a frame not yet complete. */
    int buffered() {
        return buffer.size();
    }

    private static String buffer4(int head) {
        byte[] b = ByteBuffer.allocate(4).putInt(head).array();
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }
}

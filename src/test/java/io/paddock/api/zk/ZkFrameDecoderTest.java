package io.paddock.api.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.util.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZkFrameDecoderTest {

    private static final int RUOK = ByteBuffer.wrap("ruok".getBytes(StandardCharsets.US_ASCII)).getInt();

    private static ZkFrameDecoder decoder(int max) {
        return new ZkFrameDecoder(max, v -> v == RUOK);
    }

    private static ByteString frame(byte... payload) {
        return ByteString.fromByteBuffer(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip());
    }

    private static byte[] bytes(ZkFrameDecoder.Frame f) {
        ByteBuffer b = ((ZkFrameDecoder.Packet) f).payload();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void framesSplitAtEveryByteComeOutWhole() throws ZkProtocolException {
        ByteString stream = frame((byte) 1, (byte) 2, (byte) 3).concat(frame()).concat(frame((byte) 9));
        for (int cut = 0; cut <= stream.size(); cut++) {
            ZkFrameDecoder d = decoder(100);
            List<ZkFrameDecoder.Frame> frames = new ArrayList<>(d.feed(stream.take(cut)));
            frames.addAll(d.feed(stream.drop(cut)));
            assertEquals(3, frames.size(), "cut at " + cut);
            assertEquals("[1, 2, 3]", java.util.Arrays.toString(bytes(frames.get(0))));
            assertEquals(0, bytes(frames.get(1)).length);
            assertEquals("[9]", java.util.Arrays.toString(bytes(frames.get(2))));
            assertEquals(0, d.buffered());
        }
    }

    @Test
    void aFourLetterWordIsRecognisedOnlyAsTheFirstFourBytes() throws ZkProtocolException {
        ZkFrameDecoder d = decoder(Integer.MAX_VALUE);
        List<ZkFrameDecoder.Frame> frames = d.feed(ByteString.fromString("ru"));
        assertTrue(frames.isEmpty());
        frames = d.feed(ByteString.fromString("ok"));
        assertEquals(new ZkFrameDecoder.Word("ruok"), frames.get(0));
        assertTrue(d.feed(frame((byte) 1)).isEmpty(), "nothing is read after a word");

        ZkFrameDecoder later = decoder(Integer.MAX_VALUE);
        later.feed(frame());
        // The same four bytes later in the stream are a (huge) frame length, not a word.
        assertTrue(later.feed(ByteString.fromString("ruok")).isEmpty());
        assertEquals(4, later.buffered());
    }

    @Test
    void aLengthOutsideTheLimitIsRefusedBeforeAnyAllocation() {
        ZkFrameDecoder d = decoder(10);
        ZkProtocolException e = assertThrows(ZkProtocolException.class,
                () -> d.feed(ByteString.fromByteBuffer(ByteBuffer.allocate(4).putInt(11).flip())));
        assertTrue(e.getMessage().contains("frame length 11"), e.getMessage());

        ZkFrameDecoder negative = decoder(10);
        e = assertThrows(ZkProtocolException.class,
                () -> negative.feed(ByteString.fromByteBuffer(ByteBuffer.allocate(4).putInt(-1).flip())));
        assertTrue(e.getMessage().contains("frame length -1"), e.getMessage());
    }

    @Test
    void garbageThatIsNoWordIsAnOversizedLength() {
        ZkFrameDecoder d = decoder(1 << 20);
        ZkProtocolException e = assertThrows(ZkProtocolException.class, () -> d.feed(ByteString.fromString("GET / HTTP/1.1\r\n")));
        assertTrue(e.getMessage().contains("no four-letter word"), e.getMessage());
        assertInstanceOf(ZkProtocolException.class, e);
    }
}

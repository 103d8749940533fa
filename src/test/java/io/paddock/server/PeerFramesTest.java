package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import io.paddock.zab.PeerMessage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PeerFramesTest {

    /** A message shaped like ZAB's: records, bytes and numbers. */
    public record Sample(long epoch, List<TxnRecord> records, byte[] blob, List<Long> ids) implements PeerMessage {
    }

    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aSmallMessageIsOneFrameAndComesBackWhole() throws Exception {
        PeerFrames out = new PeerFrames(serialization, 1, 1024);
        PeerFrames in = new PeerFrames(serialization, 2, 1024);
        Sample sent = sample(10);
        List<PeerFrame> frames = out.frames(sent);
        assertEquals(1, frames.size());
        assertSame(sent, (Sample) in.accept(serialized(frames.get(0))));
    }

    @Test
    void aBigMessageTravelsInChunksAndIsJoined() throws Exception {
        PeerFrames out = new PeerFrames(serialization, 1, 512);
        PeerFrames in = new PeerFrames(serialization, 2, 512);
        Sample sent = sample(5000);
        List<PeerFrame> frames = out.frames(sent);
        assertTrue(frames.size() > 5, "chunks: " + frames.size());
        PeerMessage joined = null;
        for (int i = 0; i < frames.size(); i++) {
            PeerFrame f = serialized(frames.get(i));
            assertTrue(f.bytes().length <= 512);
            joined = in.accept(f);
            if (i < frames.size() - 1) {
                assertNull(joined);
            }
        }
        assertSame(sent, (Sample) joined);
    }

    @Test
    void aMissingChunkDropsThatMessageButNotTheNext() throws Exception {
        PeerFrames out = new PeerFrames(serialization, 1, 256);
        PeerFrames in = new PeerFrames(serialization, 2, 256);
        List<PeerFrame> lost = out.frames(sample(2000));
        for (int i = 0; i < lost.size(); i++) {
            if (i != 2) {
                assertNull(in.accept(lost.get(i)), "chunk " + i);
            }
        }
        Sample next = sample(1500);
        PeerMessage joined = null;
        for (PeerFrame f : out.frames(next)) {
            joined = in.accept(f);
        }
        assertSame(next, (Sample) joined);
    }

    private static Sample sample(int blobBytes) {
        byte[] blob = new byte[blobBytes];
        new Random(blobBytes).nextBytes(blob);
        List<TxnRecord> records = List.of(new TxnRecord(0x100000001L, 0xabcL, 3, 1_700_000_000_000L,
                        new Txn.SetData("/a", new byte[]{1, 2, 3}, 4)),
                new TxnRecord(0x100000002L, 0, 0, 1_700_000_000_001L, new Txn.CloseSession()));
        return new Sample(7, records, blob, List.of(1L, 2L, 3L));
    }

    /** The frame as it arrives from another JVM: through Akka's serialization too. */
    private static PeerFrame serialized(PeerFrame f) {
        byte[] bytes = serialization.serialize(f).get();
        return (PeerFrame) serialization.deserialize(bytes, PeerFrame.class).get();
    }

    private static void assertSame(Sample expected, Sample actual) {
        assertEquals(expected.epoch(), actual.epoch());
        assertEquals(expected.ids(), actual.ids());
        assertArrayEquals(expected.blob(), actual.blob());
        assertEquals(expected.records().size(), actual.records().size());
        for (int i = 0; i < expected.records().size(); i++) {
            TxnRecord e = expected.records().get(i);
            TxnRecord a = actual.records().get(i);
            assertEquals(e.zxid(), a.zxid());
            assertEquals(e.sessionId(), a.sessionId());
            assertEquals(e.timeMs(), a.timeMs());
            assertEquals(e.txn().getClass(), a.txn().getClass());
        }
    }
}

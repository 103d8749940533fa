package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import io.paddock.storage.TxnCodec;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import io.paddock.zab.PeerMessage;
import io.paddock.zab.ServerState;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Peer messages through Akka's serialization as application.conf binds it, and through PeerCodec's frames. */
class PeerMessageSerializerTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;
    private static PeerCodec codec;

    private static final TxnRecord SET_DATA = new TxnRecord(0x500000123L, 0x1000000abcL, 42, 1_767_225_600_000L,
            new Txn.SetData("/app/config/k0000042", "v".repeat(100).getBytes(StandardCharsets.UTF_8), 7));
    private static final TxnRecord MULTI = new TxnRecord(0x500000124L, 0x1000000abcL, 43, 1_767_225_600_001L,
            new Txn.Multi(List.of(
                    new Txn.Create("/a", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, 3, 0),
                    new Txn.Delete("/b"))));

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        codec = new PeerCodec(serialization);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static final List<PeerMessage> PER_WRITE = List.of(
            new PeerMessage.Proposal(SET_DATA, 0x500000122L, 2, 9001),
            new PeerMessage.Inform(MULTI, 0x500000123L, 0, 0),
            new PeerMessage.Ack(0x500000123L),
            new PeerMessage.Commit(Long.MAX_VALUE),
            new PeerMessage.Request(17, 9002, new byte[] {1, 2, 3, 4, 5}),
            new PeerMessage.Request(18, 9003, new byte[0]),
            new PeerMessage.Sync(19, 9004),
            new PeerMessage.SyncReply(9004, 0x500000124L),
            new PeerMessage.Ping(0x500000123L, 0x500000124L, 3),
            new PeerMessage.PingAnswer(List.of(0x1000000abcL, -1L), 0x500000124L, 19),
            new PeerMessage.PingAnswer(List.of(), 0, 0));

    @Test
    void theMessagesOfEveryWriteAreWrittenByHandAndComeBackWhole() throws IOException {
        for (PeerMessage m : PER_WRITE) {
            assertInstanceOf(PeerMessageSerializer.class, serialization.findSerializerFor(m), m.toString());
            assertEquals(describe(m), describe(codec.decode(codec.encode(m))));
        }
    }

    @Test
    void theElectionAndSyncMessagesStayWithJackson() throws IOException {
        List<PeerMessage> others = List.of(
                new PeerMessage.Notification(3, 0x500000123L, 7, 5, ServerState.LOOKING),
                new PeerMessage.LearnerInfo(4, 5, 0x500000123L, true),
                new PeerMessage.Snap(0x500000123L, new byte[] {9, 8, 7}));
        for (PeerMessage m : others) {
            assertEquals("akka.serialization.jackson.JacksonCborSerializer",
                    serialization.findSerializerFor(m).getClass().getName());
            assertEquals(describe(m), describe(codec.decode(codec.encode(m))));
        }
    }

    @Test
    void aProposalIsItsHeaderAndItsRecordsLogBytes() {
        PeerMessage.Proposal p = new PeerMessage.Proposal(SET_DATA, 1, 2, 3);
        byte[] body = new PeerMessageSerializer().toBinary(p);
        byte[] log = TxnCodec.encode(SET_DATA);
        assertEquals(24 + log.length, body.length);
        assertArrayEquals(log, Arrays.copyOfRange(body, 24, body.length));
    }

    @Test
    void bytesThatAreNotAMessageAreRefusedWithTheReason() {
        PeerMessageSerializer s = new PeerMessageSerializer();
        byte[] proposal = s.toBinary(new PeerMessage.Proposal(SET_DATA, 1, 2, 3));
        byte[] ping = s.toBinary(new PeerMessage.Ping(1, 2, 3));

        assertMessage("cut short", () -> s.fromBinary(Arrays.copyOf(ping, 20), "G"));
        assertMessage("4 bytes left over", () -> s.fromBinary(Arrays.copyOf(ping, 28), "G"));
        assertMessage("unknown peer message manifest 'Z'", () -> s.fromBinary(ping, "Z"));
        assertMessage("transaction record does not decode", () -> s.fromBinary(Arrays.copyOf(proposal, 40), "P"));
        byte[] answer = s.toBinary(new PeerMessage.PingAnswer(List.of(1L), 2, 3));
        answer[19] = 100; // claims 100 sessions in 8 bytes
        assertMessage("100 sessions in 8 bytes", () -> s.fromBinary(answer, "H"));

        // Through the codec, the receiver hears which serializer and manifest failed.
        byte[] frame = codec.encode(new PeerMessage.Ack(5));
        IOException e = assertThrows(IOException.class, () -> codec.decode(Arrays.copyOf(frame, frame.length - 1)));
        assertTrue(e.getMessage().contains("manifest 'A'") && e.getMessage().contains("cut short"), e.getMessage());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable decode) {
        NotSerializableException e = assertThrows(NotSerializableException.class, decode);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Records holding arrays do not compare by content: their fields are compared as text. */
    private static String describe(PeerMessage m) {
        if (m instanceof PeerMessage.Proposal p) {
            return "Proposal " + p.prevZxid() + " " + p.origin() + " " + p.tag() + " "
                    + Arrays.toString(TxnCodec.encode(p.record()));
        } else if (m instanceof PeerMessage.Inform i) {
            return "Inform " + i.prevZxid() + " " + i.origin() + " " + i.tag() + " "
                    + Arrays.toString(TxnCodec.encode(i.record()));
        } else if (m instanceof PeerMessage.Request r) {
            return "Request " + r.seq() + " " + r.tag() + " " + Arrays.toString(r.request());
        } else if (m instanceof PeerMessage.Snap s) {
            return "Snap " + s.zxid() + " " + Arrays.toString(s.snapshot());
        }
        return m.toString();
    }
}

package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.paddock.storage.EpochFiles;
import io.paddock.storage.Recovery;
import io.paddock.storage.SnapshotTransfer;
import io.paddock.storage.TxnLog;
import io.paddock.tree.DataTree;
import io.paddock.tree.FuzzySnapshotTest;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log writer's ZAB commands keep their place among the appends and answer its owner. */
class LogWriterTest {

    private static final TxnLog.Options OPTIONS = new TxnLog.Options(4096, true, 1L << 30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ActorTestKit testKit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A history of records and the tree after each prefix, generated ahead. */
    private static final class History {
        final DataTree tree = new DataTree();
        final FuzzySnapshotTest.Workload workload;

        History(long seed) {
            workload = new FuzzySnapshotTest.Workload(seed, tree);
        }

        List<TxnRecord> run(int n) {
            return workload.run(n);
        }
    }

    private static long digestOf(List<TxnRecord> records) {
        DataTree t = new DataTree();
        for (TxnRecord r : records) {
            t.apply(r);
        }
        return t.digest();
    }

    private ActorRef<LogWriter.Command> spawn(TestProbe<LogWriter.Event> owner) throws IOException {
        TxnLog log = TxnLog.open(dir, OPTIONS);
        return testKit.spawn(LogWriter.create(dir, log, OPTIONS, owner.ref()));
    }

    private static <T extends LogWriter.Event> T expect(TestProbe<LogWriter.Event> owner, Class<T> type) {
        LogWriter.Event e = owner.receiveMessage(WAIT);
        return assertInstanceOf(type, e, () -> "got " + e);
    }

    /** Group commit may report the appends in one Persisted or several: all of them, in order, up to {@code zxid}. */
    private static void expectPersistedThrough(TestProbe<LogWriter.Event> owner, long generation, long zxid) {
        long reported = -1;
        while (reported < zxid) {
            LogWriter.Persisted p = expect(owner, LogWriter.Persisted.class);
            assertEquals(generation, p.generation());
            assertTrue(p.zxid() > reported && p.zxid() <= zxid, () -> "Persisted " + p.zxid());
            reported = p.zxid();
        }
    }

    private DataTree recoverAfresh() throws IOException {
        try (TxnLog log = TxnLog.open(dir, OPTIONS)) {
            return Recovery.recover(dir, log).tree();
        }
    }

    @Test
    void afterReportToEveryEventGoesToTheNewOwnerOnly() throws IOException {
        TestProbe<LogWriter.Event> first = testKit.createTestProbe();
        TestProbe<LogWriter.Event> second = testKit.createTestProbe();
        ActorRef<LogWriter.Command> writer = spawn(first);
        List<TxnRecord> records = new History(1).run(4);
        writer.tell(new LogWriter.Append(0, records.get(0)));
        expectPersistedThrough(first, 0, 1);
        writer.tell(new LogWriter.ReportTo(second.ref()));
        for (TxnRecord r : records.subList(1, 4)) {
            writer.tell(new LogWriter.Append(0, r));
        }
        writer.tell(new LogWriter.PersistEpochs(3, 2));
        expectPersistedThrough(second, 0, 4);
        LogWriter.EpochsPersisted epochs = expect(second, LogWriter.EpochsPersisted.class);
        assertEquals(3, epochs.acceptedEpoch());
        first.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aTruncateQueuedAfterAppendsRunsAfterThemAndHandsOverTheTree() throws IOException {
        TestProbe<LogWriter.Event> owner = testKit.createTestProbe();
        ActorRef<LogWriter.Command> writer = spawn(owner);
        List<TxnRecord> records = new History(1).run(40);
        for (TxnRecord r : records) {
            writer.tell(new LogWriter.Append(0, r));
        }
        writer.tell(new LogWriter.Truncate(25));
        long persisted = 0;
        LogWriter.Event e;
        while ((e = owner.receiveMessage(WAIT)) instanceof LogWriter.Persisted p) {
            persisted = p.zxid();
        }
        assertEquals(40, persisted, "every append before the truncate was reported durable first");
        LogWriter.Truncated t = assertInstanceOf(LogWriter.Truncated.class, e);
        assertEquals(25, t.zxid());
        assertEquals(25, t.tree().lastZxid());
        assertEquals(digestOf(records.subList(0, 25)), t.tree().digest());

        // Appending goes on from the zxid, in the same generation, with another history.
        TxnRecord other = new TxnRecord(26, 0x5555, 0, 0, new Txn.CreateSession(4000));
        writer.tell(new LogWriter.Append(0, other));
        expectPersistedThrough(owner, 0, 26);
        testKit.stop(writer);
        List<TxnRecord> expected = new ArrayList<>(records.subList(0, 25));
        expected.add(other);
        assertEquals(digestOf(expected), recoverAfresh().digest());
    }

    @Test
    void anInstallRunsInOrderAndTheNextAppendFollowsTheSnapshot() throws IOException {
        TestProbe<LogWriter.Event> owner = testKit.createTestProbe();
        ActorRef<LogWriter.Command> writer = spawn(owner);
        for (TxnRecord r : new History(3).run(10)) {
            writer.tell(new LogWriter.Append(0, r));
        }
        History leader = new History(4);
        leader.run(200);
        long at = leader.tree.lastZxid();
        writer.tell(new LogWriter.Install(at, SnapshotTransfer.serialize(leader.tree)));
        expectPersistedThrough(owner, 0, 10);
        LogWriter.Installed installed = expect(owner, LogWriter.Installed.class);
        assertEquals(at, installed.zxid());
        assertEquals(leader.tree.digest(), installed.tree().digest());

        List<TxnRecord> next = leader.run(5);
        for (TxnRecord r : next) {
            writer.tell(new LogWriter.Append(0, r));
        }
        expectPersistedThrough(owner, 0, at + 5);
        testKit.stop(writer);
        assertEquals(leader.tree.digest(), recoverAfresh().digest());
    }

    @Test
    void epochsArePersistedInTurnWithTheAppends() throws IOException {
        TestProbe<LogWriter.Event> owner = testKit.createTestProbe();
        ActorRef<LogWriter.Command> writer = spawn(owner);
        for (TxnRecord r : new History(5).run(3)) {
            writer.tell(new LogWriter.Append(0, r));
        }
        writer.tell(new LogWriter.PersistEpochs(2, 1));
        expectPersistedThrough(owner, 0, 3);
        assertEquals(new LogWriter.EpochsPersisted(2, 1), expect(owner, LogWriter.EpochsPersisted.class));
        assertEquals(new EpochFiles.Epochs(2, 1), EpochFiles.read(dir));
    }

    @Test
    void aCommandThatCannotBeCarriedOutFailsTheGenerationAndLaterOnesResume() throws IOException {
        TestProbe<LogWriter.Event> owner = testKit.createTestProbe();
        ActorRef<LogWriter.Command> writer = spawn(owner);
        List<TxnRecord> records = new History(6).run(12);
        for (TxnRecord r : records.subList(0, 10)) {
            writer.tell(new LogWriter.Append(0, r));
        }
        writer.tell(new LogWriter.Truncate(11)); // above the log: only a snapshot can help
        writer.tell(new LogWriter.Append(0, records.get(10))); // of the generation the failure ends
        writer.tell(new LogWriter.Append(1, records.get(10)));
        expectPersistedThrough(owner, 0, 10);
        LogWriter.Failed failed = expect(owner, LogWriter.Failed.class);
        assertEquals(0, failed.generation());
        assertTrue(failed.reason().contains("SNAP"), failed.reason());
        expectPersistedThrough(owner, 1, 11);

        writer.tell(new LogWriter.PersistEpochs(1, 2));
        LogWriter.Failed refused = expect(owner, LogWriter.Failed.class);
        assertEquals(1, refused.generation());
        byte[] damaged = SnapshotTransfer.serialize(new DataTree());
        damaged[damaged.length - 1] ^= 1;
        writer.tell(new LogWriter.Install(0, damaged));
        LogWriter.Failed install = expect(owner, LogWriter.Failed.class);
        assertEquals(2, install.generation());
        assertTrue(install.reason().contains("checksum"), install.reason());

        writer.tell(new LogWriter.Append(3, records.get(11)));
        expectPersistedThrough(owner, 3, 12);
        testKit.stop(writer);
        assertEquals(digestOf(records), recoverAfresh().digest());
    }
}

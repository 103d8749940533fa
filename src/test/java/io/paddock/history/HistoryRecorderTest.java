package io.paddock.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.tree.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {

    private static final String K = "/t/k";

    private final AtomicLong clock = new AtomicLong(1000);
    private final HistoryRecorder recorder = new HistoryRecorder(() -> clock.addAndGet(10));

    @Test
    void invocationAndCompletionAreStampedByTheRecordersClock() {
        HistoryRecorder.Pending p = recorder.invoke(7, Call.create(K, "v1"));
        Operation op = p.ok(Result.created(0x100000001L), 0x100000002L);
        assertEquals(1010, op.invokeNanos());
        assertEquals(1020, op.completeNanos());
        assertEquals(7, op.session());
        assertEquals(0x100000002L, op.replyZxid());
        assertEquals(List.of(op), recorder.history().operations());
    }

    @Test
    void anUnknownOutcomeHasNoCompletionAndNoReplyZxid() {
        Operation op = recorder.invoke(7, Call.setData(K, "v1", Call.ANY_VERSION)).unknown();
        assertTrue(op.isIndeterminate());
        assertEquals(Operation.NEVER, op.completeNanos());
        assertEquals(Result.NO_ZXID, op.replyZxid());
    }

    @Test
    void operationsStillPendingCountAsUnknownInTheHistory() {
        recorder.invoke(7, Call.create(K, "v1")).fail(ErrorCode.NODE_EXISTS);
        HistoryRecorder.Pending stuck = recorder.invoke(8, Call.delete(K, Call.ANY_VERSION));
        assertEquals(1, recorder.pendingCount());
        History h = recorder.history();
        assertEquals(2, h.size());
        assertTrue(h.operations().get(1).isIndeterminate());
        // It can still complete later; the next snapshot has it.
        stuck.ok(Result.deleted());
        assertEquals(Result.deleted(), recorder.history().operations().get(1).result());
        assertEquals(0, recorder.pendingCount());
    }

    @Test
    void anOperationCompletesExactlyOnce() {
        HistoryRecorder.Pending p = recorder.invoke(7, Call.read(K));
        p.fail(ErrorCode.NO_NODE);
        assertThrows(IllegalStateException.class, p::unknown);
        assertThrows(IllegalStateException.class, () -> p.ok(Result.read("v", 0, Result.NO_ZXID)));
    }

    @Test
    void onlyDefiniteErrorsAreFailuresAndOkTakesOnlySuccesses() {
        HistoryRecorder.Pending p = recorder.invoke(7, Call.create(K, "v1"));
        assertThrows(IllegalArgumentException.class, () -> p.fail(ErrorCode.CONNECTION_LOSS));
        assertThrows(IllegalArgumentException.class, () -> p.fail(ErrorCode.OPERATION_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> p.ok(Result.failed(ErrorCode.NODE_EXISTS)));
        assertThrows(IllegalArgumentException.class, () -> p.ok(Result.unknown()));
        // Nothing was recorded by the refused calls: it can still complete.
        assertEquals(ErrorCode.NODE_EXISTS, ((Result.Failed) p.fail(ErrorCode.NODE_EXISTS).result()).code());
    }

    @Test
    void aResultMustBeOneTheCallCanGive() {
        assertThrows(IllegalArgumentException.class,
                () -> recorder.invoke(7, Call.create(K, "v1")).ok(Result.written(1, Result.NO_ZXID)));
        assertThrows(IllegalArgumentException.class,
                () -> recorder.invoke(7, Call.read(K)).fail(ErrorCode.BAD_VERSION));
        assertThrows(IllegalArgumentException.class,
                () -> recorder.invoke(7, Call.delete(K, 0)).fail(ErrorCode.NODE_EXISTS));
    }

    @Test
    void clientsRecordingAtOnceLoseNoOperation() throws InterruptedException {
        HistoryRecorder shared = new HistoryRecorder();
        int threads = 8;
        int each = 500;
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long session = t;
            clients.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    HistoryRecorder.Pending p = shared.invoke(session, Call.setData("/t/" + session, "v" + i, -1));
                    if (i % 3 == 0) {
                        p.unknown();
                    } else {
                        p.ok(Result.written(i + 1, Result.NO_ZXID));
                    }
                }
            }));
        }
        clients.forEach(Thread::start);
        for (Thread t : clients) {
            t.join();
        }
        History h = shared.history();
        assertEquals(threads * each, h.size());
        Set<Integer> ids = new HashSet<>();
        h.operations().forEach(op -> ids.add(op.id()));
        assertEquals(threads * each, ids.size());
        assertEquals(threads, h.byPath().size());
    }

    @Test
    void aHistoryRefusesAValueWrittenTwiceToOnePath() {
        recorder.invoke(7, Call.create(K, "same")).ok(Result.created(Result.NO_ZXID));
        recorder.invoke(7, Call.setData(K, "same", Call.ANY_VERSION)).unknown();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, recorder::history);
        assertTrue(e.getMessage().contains("\"same\" is written to /t/k twice"), e.getMessage());
    }

    @Test
    void theSameValueMayBeWrittenToDifferentPaths() {
        recorder.invoke(7, Call.create("/t/a", "same")).ok(Result.created(Result.NO_ZXID));
        recorder.invoke(7, Call.create("/t/b", "same")).ok(Result.created(Result.NO_ZXID));
        assertEquals(2, recorder.history().byPath().size());
    }
}

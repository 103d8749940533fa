package io.paddock.recipes;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.RetryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counter against an in-JVM Paddock node with several clients. */
class DistributedCounterTest {

    @TempDir
    static Path dataDir;
    static RecipeServer server;
    static final AtomicInteger paths = new AtomicInteger();
    static final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = RecipeServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        server.close();
    }

    static String freshPath() {
        return "/counters/c-" + paths.incrementAndGet();
    }

    @Test
    void valueIsEightBytesBigEndianAndNothingReadsAsZero() {
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, 1, 2}, DistributedCounter.encode(258));
        assertEquals(-1L, DistributedCounter.decode(DistributedCounter.encode(-1L)));
        assertEquals(Long.MIN_VALUE, DistributedCounter.decode(DistributedCounter.encode(Long.MIN_VALUE)));
        assertEquals(0L, DistributedCounter.decode(new byte[0]));
        assertThrows(IllegalStateException.class, () -> DistributedCounter.decode(new byte[]{'4', '2'}));
    }

    @Test
    void aMissingCounterIsZeroAndTheFirstWriteCreatesIt() throws Exception {
        PaddockClient c = server.client();
        DistributedCounter counter = new DistributedCounter(c, freshPath() + "/deep");
        assertEquals(0L, counter.get());
        DistributedCounter.Outcome o = counter.add(5);
        assertEquals(new DistributedCounter.Outcome(true, 0, 5, 1), o);
        assertEquals(5L, counter.get());
        assertArrayEquals(DistributedCounter.encode(5), c.getData(counter.path()).data());
    }

    @Test
    void compareAndSetSucceedsOnlyFromTheExpectedValue() throws Exception {
        DistributedCounter counter = new DistributedCounter(server.client(), freshPath());
        assertTrue(counter.compareAndSet(0, 10).succeeded());
        DistributedCounter.Outcome miss = counter.compareAndSet(3, 20);
        assertFalse(miss.succeeded());
        assertEquals(10, miss.postValue(), "a failure reports the current value");
        assertEquals(10, counter.get());
        assertEquals(new DistributedCounter.Outcome(true, 10, 20, 1), counter.compareAndSet(10, 20));
    }

    @Test
    void trySetReplacesWhateverWasThereAndReportsIt() throws Exception {
        DistributedCounter counter = new DistributedCounter(server.client(), freshPath());
        counter.add(7);
        DistributedCounter.Outcome o = counter.trySet(-3);
        assertTrue(o.succeeded());
        assertEquals(7, o.preValue());
        assertEquals(-3, counter.get());
        counter.forceSet(11);
        assertEquals(11, counter.get());
    }

    @Test
    void aLostAnswerToAWriteIsReportedAsUnknownNotAsAFailure() throws Exception {
        String path = freshPath();
        LossyClient lossy = new LossyClient(server.client());
        DistributedCounter counter = new DistributedCounter(lossy, path);
        counter.add(1);
        lossy.failSetDataAfterApplying.set(1);
        assertThrows(PaddockException.ConnectionLossException.class, counter::increment);
        assertEquals(2, counter.get(), "the write did happen: claiming failure would have been false");
    }

    /** Several clients and threads add concurrently: nothing is lost, nothing counted twice. */
    @Test
    void concurrentIncrementsAllCount() throws Exception {
        String path = freshPath();
        List<Future<Integer>> all = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            DistributedCounter counter = new DistributedCounter(server.client(), path);
            for (int t = 0; t < 3; t++) {
                all.add(threads.submit(() -> {
                    int lostRaces = 0;
                    for (int i = 0; i < 20; i++) {
                        DistributedCounter.Outcome o = counter.increment();
                        assertTrue(o.succeeded(), "the default bound is generous: " + o);
                        assertEquals(o.preValue() + 1, o.postValue());
                        lostRaces += o.attempts() - 1;
                    }
                    return lostRaces;
                }));
            }
        }
        int lostRaces = 0;
        for (Future<Integer> f : all) {
            lostRaces += f.get(120, TimeUnit.SECONDS);
        }
        assertEquals(9 * 20, new DistributedCounter(server.client(), path).get());
        // Not asserted (it depends on timing), but shown: how often the CAS had to go again.
        System.out.println("counter: " + lostRaces + " lost races over " + (9 * 20) + " increments");
    }

    /**
     * With a single attempt per call, contention makes some calls fail: exactly the calls that
     * report success are the ones counted, and every failure names a value other than the one
     * its caller read.
     */
    @Test
    void failuresUnderContentionAreReportedTruthfully() throws Exception {
        String path = freshPath();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong casSucceeded = new AtomicLong();
        AtomicInteger untruthful = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            DistributedCounter once = new DistributedCounter(server.client(), path, RetryPolicy.none(), 1);
            for (int t = 0; t < 2; t++) {
                all.add(threads.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        DistributedCounter.Outcome o = once.add(1);
                        (o.succeeded() ? succeeded : failed).incrementAndGet();
                        long seen = once.get();
                        DistributedCounter.Outcome cas = once.compareAndSet(seen, seen + 1);
                        if (cas.succeeded()) {
                            casSucceeded.incrementAndGet();
                        } else if (cas.attempts() > 0 && cas.postValue() == seen) {
                            untruthful.incrementAndGet(); // failed although the value was as expected
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : all) {
            f.get(120, TimeUnit.SECONDS);
        }
        long total = new DistributedCounter(server.client(), path).get();
        assertEquals(succeeded.get() + casSucceeded.get(), total, "exactly the reported successes were counted");
        assertEquals(200, succeeded.get() + failed.get());
        assertEquals(0, untruthful.get());
        System.out.println("counter: " + failed.get() + " of 200 single-attempt adds lost their race");
        assertNotEquals(0, total);
    }
}

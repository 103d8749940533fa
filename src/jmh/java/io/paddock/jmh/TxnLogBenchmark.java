package io.paddock.jmh;

import io.paddock.server.LogWriter;
import io.paddock.server.PaddockConfig;
import io.paddock.storage.TxnLog;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Group commit in the transaction log: {@code batch} appends of a 100-byte setData record, then
 * one flush (which forces the segment when forceSync is on), as the LogWriter does with whatever
 * queued up while it was forcing. The score is per batch: a record costs score / batch.
 * The log is opened with the server's own options ({@link LogWriter#options}, default storage
 * settings) in a fresh directory under {@code -Dpaddock.jmh.logDir} (default: java.io.tmpdir),
 * which must be on a real disk: the setup refuses tmpfs. Each iteration starts a new log and
 * deletes it afterwards, so disk use stays bounded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TxnLogBenchmark {

    static final int DATA_BYTES = 100;
    private static final Set<String> MEMORY_FILESYSTEMS = Set.of("tmpfs", "ramfs");

    @Param({"1", "10", "100"})
    int batch;
    @Param({"true", "false"})
    boolean forceSync;

    private TxnLog.Options options;
    private Path base;
    private Path dir;
    private TxnLog log;
    private long zxid;
    private int version;
    private byte[] data;

    @Setup(Level.Trial)
    public void setupTrial() throws IOException {
        options = LogWriter.options(PaddockConfig.Storage.DEFAULTS.withForceSync(forceSync));
        data = TreeDriver.data(DATA_BYTES);
        Path parent = Path.of(System.getProperty("paddock.jmh.logDir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(parent);
        base = Files.createTempDirectory(parent, "paddock-jmh-log");
        FileStore store = Files.getFileStore(base);
        TreeDriver.require(!MEMORY_FILESYSTEMS.contains(store.type()),
                base + " is on " + store.type() + ", not a disk; set -Dpaddock.jmh.logDir");
        // The records a batch writes come back from a reopened log, in order.
        openIteration();
        appendAndFlush();
        long last = log.lastZxid();
        log.close();
        try (TxnLog reopened = TxnLog.open(dir, options)) {
            List<TxnRecord> tail = reopened.tail(batch + 1);
            TreeDriver.require(tail.size() == batch, "a batch of " + batch + " came back as " + tail.size());
            TreeDriver.require(tail.get(batch - 1).zxid() == last && last == batch, "the last record is zxid " + batch);
            TreeDriver.require(tail.get(0).txn() instanceof Txn.SetData s && Arrays.equals(s.data(), data),
                    "records hold their data");
        }
        delete(dir);
    }

    @Setup(Level.Iteration)
    public void openIteration() throws IOException {
        dir = Files.createTempDirectory(base, "log");
        log = TxnLog.open(dir, options);
        zxid = 0;
    }

    @TearDown(Level.Iteration)
    public void closeIteration() throws IOException {
        log.close();
        delete(dir);
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() throws IOException {
        delete(base);
    }

    @Benchmark
    public long appendAndFlush() throws IOException {
        for (int i = 0; i < batch; i++) {
            log.append(new TxnRecord(++zxid, 0x1000000L, i, TreeDriver.TIME_MS,
                    new Txn.SetData("/bench/k0000042", data, ++version)));
        }
        log.flush();
        return log.lastZxid();
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

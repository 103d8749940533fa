package io.paddock.api.zk;

import io.paddock.server.PaddockConfig;
import io.paddock.server.ServerGateway;
import io.paddock.server.ServerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connections of one server's ZooKeeper-protocol port share: the limits, the
 * four-letter-word whitelist, and the open connections and server-wide counters that
 * {@code stat}, {@code cons} and {@code mntr} report; and the gathering of a
 * {@link FourLetterReport} from them, the server and the machine.
 */
public final class ZkFrontEnd {

    private static final Logger LOG = LoggerFactory.getLogger(ZkFrontEnd.class);

    private final PaddockConfig config;
    private final long startedMs;
    private final Set<String> whitelist;
    private final Set<ZkConnectionStats> open = ConcurrentHashMap.newKeySet();
    /** Counters of connections already closed; open ones are summed when asked. */
    private final LongAdder closedPacketsReceived = new LongAdder();
    private final LongAdder closedPacketsSent = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder totalLatencyMs = new LongAdder();
    private final LongAccumulator minLatencyMs = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator maxLatencyMs = new LongAccumulator(Math::max, 0);

    public ZkFrontEnd(PaddockConfig config, long startedMs) {
        this.config = config;
        this.startedMs = startedMs;
        this.whitelist = FourLetterWords.parseWhitelist(config.fourLetterWordWhitelist(),
                reason -> LOG.warn("4lw.commands.whitelist: {}", reason));
    }

    int maxFrameBytes() {
        return ZkServer.maxFrameBytes(config);
    }

    /**
     * Bytes a connection may have queued for its client and not yet written before it counts as
     * not reading: room for a few of the largest replies, whatever the socket buffers hold besides.
     */
    long maxUnwrittenBytes() {
        return Math.max(8L << 20, 4L * maxFrameBytes());
    }

    Set<String> whitelist() {
        return whitelist;
    }

    void opened(ZkConnectionStats stats) {
        open.add(stats);
    }

    void closed(ZkConnectionStats stats) {
        if (open.remove(stats)) {
            closedPacketsReceived.add(stats.packetsReceived());
            closedPacketsSent.add(stats.packetsSent());
        }
    }

    /** A request of any connection was answered after {@code ms}. */
    void latency(long ms) {
        if (ms >= 0) {
            answered.increment();
            totalLatencyMs.add(ms);
            minLatencyMs.accumulate(ms);
            maxLatencyMs.accumulate(ms);
        }
    }

    /**
     * Everything {@code word} needs, gathered: the server's status always, the rest only when the
     * word uses it. Stages complete on Akka's threads or on {@code blocking} (the disk walk).
     */
    CompletionStage<FourLetterReport> report(String word, ServerGateway gateway, Executor blocking) {
        Set<FourLetterReport.Part> parts = FourLetterWords.needs(word, whitelist);
        CompletionStage<SortedMap<Long, SortedSet<String>>> watches = parts.contains(FourLetterReport.Part.WATCHES)
                ? gateway.watchesBySession() : CompletableFuture.completedFuture(null);
        CompletionStage<Long> dataDirSize = parts.contains(FourLetterReport.Part.DATA_DIR_SIZE)
                ? CompletableFuture.supplyAsync(this::dataDirSize, blocking) : CompletableFuture.completedFuture(-1L);
        Map<String, String> environment = parts.contains(FourLetterReport.Part.ENVIRONMENT) ? environment() : Map.of();
        return gateway.status().thenCompose(status -> watches.thenCombine(dataDirSize,
                (w, size) -> new FourLetterReport(status, absolute(config), counters(status),
                        connections(), w, size, environment)));
    }

    /** Applies what srst and crst do besides answering. */
    void apply(FourLetterWords.Effect effect) {
        switch (effect) {
            case RESET_SERVER_STATS -> {
                closedPacketsReceived.reset();
                closedPacketsSent.reset();
                answered.reset();
                totalLatencyMs.reset();
                minLatencyMs.reset();
                maxLatencyMs.reset();
                for (ZkConnectionStats s : open) {
                    // Server-wide packet counts are sums over connections: start those again too.
                    closedPacketsReceived.add(-s.packetsReceived());
                    closedPacketsSent.add(-s.packetsSent());
                }
            }
            case RESET_CONNECTION_STATS -> open.forEach(ZkConnectionStats::reset);
            default -> {
            }
        }
    }

    private FourLetterReport.Counters counters(ServerStatus status) {
        long received = closedPacketsReceived.sum();
        long sent = closedPacketsSent.sum();
        long outstanding = 0;
        for (ZkConnectionStats s : open) {
            received += s.packetsReceived();
            sent += s.packetsSent();
            outstanding += s.outstanding();
        }
        long n = answered.sum();
        FourLetterReport.Latency latency = n == 0 ? FourLetterReport.Latency.NONE
                : new FourLetterReport.Latency(n, totalLatencyMs.sum(), minLatencyMs.get(), maxLatencyMs.get());
        long[] fds = fileDescriptors();
        return new FourLetterReport.Counters(received, sent, outstanding, latency, open.size(),
                System.currentTimeMillis() - startedMs, -1, -1, fds[0], fds[1], -1);
    }

    private List<FourLetterReport.Connection> connections() {
        List<ZkConnectionStats> list = new ArrayList<>(open);
        list.sort(Comparator.comparingLong(ZkConnectionStats::establishedMs));
        List<FourLetterReport.Connection> out = new ArrayList<>(list.size());
        for (ZkConnectionStats s : list) {
            out.add(s.snapshot());
        }
        return out;
    }

    private long dataDirSize() {
        try (Stream<Path> files = Files.walk(config.dataDir())) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // a file purged while we walk
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static PaddockConfig absolute(PaddockConfig config) {
        return config.withDataDir(config.dataDir().toAbsolutePath());
    }

    private static long[] fileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return new long[] {unix.getOpenFileDescriptorCount(), unix.getMaxFileDescriptorCount()};
        }
        return new long[] {-1, -1};
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        for (String key : FourLetterWords.ENVIRONMENT_KEYS) {
            String value = System.getProperty(key);
            if (value != null) {
                env.put(key, value);
            }
        }
        try {
            env.put("host.name", InetAddress.getLocalHost().getCanonicalHostName());
        } catch (IOException e) {
            // envi prints <NA>, as ZooKeeper does when the name cannot be found
        }
        Runtime rt = Runtime.getRuntime();
        env.put("os.memory.free", rt.freeMemory() / (1024 * 1024) + "MB");
        env.put("os.memory.max", rt.maxMemory() / (1024 * 1024) + "MB");
        env.put("os.memory.total", rt.totalMemory() / (1024 * 1024) + "MB");
        return env;
    }
}

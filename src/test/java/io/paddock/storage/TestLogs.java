package io.paddock.storage;

import io.paddock.tree.DataTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The logs a storage test opens (closed after it), and what start-up would make of a directory. */
final class TestLogs {

    static final TxnLog.Options OPTIONS = new TxnLog.Options(4096, true, 1L << 30);

    private final List<TxnLog> opened = new ArrayList<>();

    static long zxid(long epoch, long counter) {
        return (epoch << 32) | counter;
    }

    TxnLog open(Path dir) throws IOException {
        TxnLog log = TxnLog.open(dir, OPTIONS);
        opened.add(log);
        return log;
    }

    /** Closes the running log, as a stopping server would, and recovers the directory as start-up does. */
    DataTree recoverAfresh(Path dir, TxnLog running) throws IOException {
        running.close();
        return Recovery.recover(dir, open(dir)).tree();
    }

    void closeAll() throws IOException {
        for (TxnLog log : opened) {
            log.close();
        }
    }

    /** Every file in the directory with its size. */
    static Map<String, Long> files(Path dir) throws IOException {
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                sizes.put(p.getFileName().toString(), Files.size(p));
            }
        }
        return sizes;
    }
}

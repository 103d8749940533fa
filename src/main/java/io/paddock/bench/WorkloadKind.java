package io.paddock.bench;

import java.util.ArrayList;
import java.util.List;

/** The workloads {@code --workload} can name, with the words {@code --help} shows for each. */
public enum WorkloadKind {

    WRITE("write", "create the keys (not counted), then setData on them round-robin"),
    READ("read", "create the keys (not counted), then getData of them round-robin (http: ?raw)"),
    MIXED("mixed", "as read and write, interleaved: --read-ratio of the requests are reads"),
    CREATE("create", "every request creates a new persistent znode of --value-size bytes, each name once"),
    CHURN("churn", "each client loops: open a session, create an ephemeral znode, close the session;\n"
            + "                                  an op is the whole cycle"),
    WATCH("watch", "--watchers sessions each watch one znode's data; one writer sets it; an op is a\n"
            + "                                  round, its latency from the setData sent to the last watcher notified"),
    LOCK("lock", "every client loops acquire, hold (check no other holds it), release of one lock\n"
            + "                                  (the DistributedMutex recipe); an op is acquire and release"),
    FAILOVER("failover", "start an ensemble of --servers, SIGKILL its leader --trials times and time a new one");

    private final String optionName;
    private final String description;

    WorkloadKind(String optionName, String description) {
        this.optionName = optionName;
        this.description = description;
    }

    /** The name in {@code --workload} and in the results. */
    public String optionName() {
        return optionName;
    }

    public String description() {
        return description;
    }

    /** Whether the workload spreads its requests over --keys existing znodes (write, read, mixed). */
    public boolean keyed() {
        return this == WRITE || this == READ || this == MIXED;
    }

    static List<String> optionNames() {
        List<String> names = new ArrayList<>();
        for (WorkloadKind kind : values()) {
            names.add(kind.optionName);
        }
        return names;
    }
}

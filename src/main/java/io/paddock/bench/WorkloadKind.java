package io.paddock.bench;

import java.util.ArrayList;
import java.util.List;

/** The workloads {@code --workload} can name, with the words {@code --help} shows for each. */
public enum WorkloadKind {

    WRITE("write", "create the keys (not counted), then setData on them round-robin"),
    READ("read", "create the keys (not counted), then getData of them round-robin (http: ?raw)"),
    MIXED("mixed", "as read and write, interleaved: --read-ratio of the requests are reads"),
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

    static List<String> optionNames() {
        List<String> names = new ArrayList<>();
        for (WorkloadKind kind : values()) {
            names.add(kind.optionName);
        }
        return names;
    }
}

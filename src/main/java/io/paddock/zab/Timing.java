package io.paddock.zab;

/**
 * ZooKeeper's limits, in ticks: initLimit bounds how long a learner may take to connect to and
 * sync with a leader; syncLimit how long a learner may go unheard (and a leader unheard by a
 * learner) once synced. The core is stepped by a {@link Input.Tick} every half tick.
 */
public record Timing(int initLimit, int syncLimit) {

    public Timing {
        if (initLimit < 1 || syncLimit < 1) {
            throw new IllegalArgumentException("initLimit and syncLimit must be at least 1 tick");
        }
    }
}

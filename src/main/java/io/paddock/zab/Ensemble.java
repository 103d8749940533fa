package io.paddock.zab;

import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who is in the ensemble: the voting participants and the observers, by server id, and which
 * of them this server is. A quorum is a strict majority of the voters.
 */
public record Ensemble(long myId, SortedSet<Long> voters, SortedSet<Long> observers) {

    public Ensemble {
        voters = new TreeSet<>(voters);
        observers = new TreeSet<>(observers);
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one voter");
        }
        for (long o : observers) {
            if (voters.contains(o)) {
                throw new IllegalArgumentException("server " + o + " is both a voter and an observer");
            }
        }
        if (!voters.contains(myId) && !observers.contains(myId)) {
            throw new IllegalArgumentException("server " + myId + " is not in the ensemble " + voters + " / " + observers);
        }
    }

    public static Ensemble of(long myId, Set<Long> voters, Set<Long> observers) {
        return new Ensemble(myId, new TreeSet<>(voters), new TreeSet<>(observers));
    }

    public boolean isObserver() {
        return observers.contains(myId);
    }

    /** Whether {@code ids} hold a strict majority of the voters (ids of non-voters do not count). */
    public boolean isQuorum(Collection<Long> ids) {
        int votes = 0;
        for (long id : new TreeSet<>(ids)) {
            if (voters.contains(id)) {
                votes++;
            }
        }
        return votes > voters.size() / 2;
    }

    /** Every server but this one, voters first, each in id order. */
    public SortedSet<Long> others() {
        SortedSet<Long> all = new TreeSet<>(voters);
        all.addAll(observers);
        all.remove(myId);
        return all;
    }
}

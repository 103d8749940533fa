package io.paddock.recipes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Who leads a latch, decided from its children's names alone: the participant whose
 * EPHEMERAL_SEQUENTIAL node has the lowest sequence number leads, and every other participant
 * watches only the node just before its own, so that one departure wakes one waiter (no herd).
 *
 * <p>Names are ordered by their 10-digit sequential suffix, not by the whole name: a protected
 * name carries a random prefix ({@code _c_<uuid>-latch-0000000007}) that must not decide the
 * order. Children without a sequential suffix are not participants and are ignored.
 */
final class LeaderSelection {

    /** Length of ZooKeeper's sequential suffix ("%010d"). */
    static final int SEQUENCE_DIGITS = 10;

    private LeaderSelection() {
    }

    /** What one participant should do, given the latch's children. */
    sealed interface Decision {
        /** Its node is the lowest: it leads. */
        record Lead() implements Decision {
        }

        /** Another node is lower: watch {@code predecessor}, the one just before its own. */
        record Watch(String predecessor) implements Decision {
        }

        /** Its node is not among the children (deleted, or its session ended): join again. */
        record Missing() implements Decision {
        }
    }

    /** The sequence number of a sequential node's name, or -1 when it has none. */
    static long sequenceOf(String name) {
        if (name.length() < SEQUENCE_DIGITS) {
            return -1;
        }
        String digits = name.substring(name.length() - SEQUENCE_DIGITS);
        for (int i = 0; i < digits.length(); i++) {
            // A signed counter that wrapped prints a '-' here; such a name is not ordered.
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /** The participants' names, in election order: by sequence number, then by name. */
    static List<String> ordered(Collection<String> children) {
        List<String> out = new ArrayList<>();
        for (String c : children) {
            if (sequenceOf(c) >= 0) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingLong(LeaderSelection::sequenceOf).thenComparing(Comparator.naturalOrder()));
        return out;
    }

    /** What the participant owning {@code ourName} should do. */
    static Decision decide(Collection<String> children, String ourName) {
        List<String> order = ordered(children);
        int ours = order.indexOf(ourName);
        if (ours < 0) {
            return new Decision.Missing();
        }
        if (ours == 0) {
            return new Decision.Lead();
        }
        return new Decision.Watch(order.get(ours - 1));
    }

    /** The leader's node name, or null when nobody participates. */
    static String leader(Collection<String> children) {
        List<String> order = ordered(children);
        return order.isEmpty() ? null : order.get(0);
    }

    /**
     * Our node among the children, found by its unique prefix after a create whose answer was
     * lost: the newest such node when there are several (an older one is an orphan).
     */
    static String findOurs(Collection<String> children, String ourPrefix) {
        String found = null;
        for (String c : ordered(children)) {
            if (c.startsWith(ourPrefix) && c.length() == ourPrefix.length() + SEQUENCE_DIGITS) {
                found = c;
            }
        }
        return found;
    }
}

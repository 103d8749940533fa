package io.paddock.recipes;

/**
 * Told when a {@link LeaderLatch} gains and loses leadership, alternately (never isLeader twice
 * in a row), on the latch's executor. {@link #notLeader} also comes when the connection is
 * suspended or the session lost: the latch can no longer be sure, so the holder must stop
 * acting as leader at once.
 */
public interface LeaderLatchListener {

    void isLeader();

    void notLeader();
}

package io.paddock.zab;

/**
 * A leader's view of one learner, for status pages and tests: whether it acknowledged NEWLEADER
 * ({@code synced}), how far its log is durable by its ACKs, and how long since it was heard.
 */
public record LearnerStatus(long id, boolean observer, boolean synced, long ackedZxid, int halfTicksSinceHeard) {
}

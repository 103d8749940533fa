/**
 * History checkers for end-to-end tests of a replicated ensemble, in the spirit of Jepsen's
 * Knossos (linearizability) and of ZooKeeper's own consistency guarantees.
 *
 * <p>Clients record every operation they send ({@link io.paddock.history.HistoryRecorder}):
 * when it was invoked, when it completed, what came back, or that the outcome is unknown
 * (timeout, lost connection: it may or may not have taken effect). After the run:
 * <ul>
 *   <li>{@link io.paddock.history.LinearizabilityChecker} decides whether the writes (and the
 *       reads marked synced) are linearizable, per znode path (Wing &amp; Gong's search with
 *       Lowe's memoization, split by path as Horn &amp; Kroening's P-compositionality allows);</li>
 *   <li>{@link io.paddock.history.SequentialConsistencyChecker} checks what ZooKeeper promises
 *       for reads served by any server: one zxid order of writes, each session's view moving
 *       forward and including its own writes.</li>
 * </ul>
 *
 * <pre>{@code
 * HistoryRecorder recorder = new HistoryRecorder();
 * // in each client thread, around each request:
 * HistoryRecorder.Pending p = recorder.invoke(sessionId, Call.setData("/t/k3", "c2-17", Call.ANY_VERSION));
 * try {
 *     HttpResponse<String> r = http.send(...);
 *     long replyZxid = zxidHeader(r);               // Paddock-Zxid, or Result.NO_ZXID
 *     if (r.statusCode() == 200) p.ok(Result.written(version(r), mzxid(r)), replyZxid);
 *     else if (isNoNodeOrBadVersion(r)) p.fail(errorCode(r), replyZxid);
 *     else p.unknown();
 * } catch (IOException | HttpTimeoutException e) {
 *     p.unknown();
 * }
 * // after the run:
 * History history = recorder.history();
 * LinearizabilityReport lin = new LinearizabilityChecker().check(history);
 * assertTrue(lin.isLinearizable(), lin.describe());
 * ConsistencyReport seq = SequentialConsistencyChecker.check(history);
 * assertTrue(seq.ok(), seq.describe(history));
 * }</pre>
 *
 * <p>Everything here is test code: {@link io.paddock.history.SimZnodeHistory} simulates a
 * correct (or deliberately broken) ensemble to test the checkers themselves.
 */
package io.paddock.history;

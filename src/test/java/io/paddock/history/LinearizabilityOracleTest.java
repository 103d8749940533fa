package io.paddock.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.history.LinearizabilityChecker.Reads;
import io.paddock.history.LinearizabilityReport.Verdict;
import io.paddock.history.ZnodeModel.State;
import io.paddock.tree.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The search, with its memo and reductions, must agree with the definition: small histories,
 * some correct and some with results changed at random, are judged both by the checker and by
 * trying every order that respects real time (no memo, no reductions).
 */
class LinearizabilityOracleTest {

    private static final String PATH = "/t/k";

    @Test
    void searchAgreesWithExhaustiveEnumerationOnSmallHistories() {
        LinearizabilityChecker checker =
                new LinearizabilityChecker(Reads.ALL, LinearizabilityChecker.DEFAULT_BUDGET_STEPS);
        int linearizable = 0;
        int not = 0;
        for (long seed = 0; seed < 3000; seed++) {
            Random random = new Random(seed);
            SimZnodeHistory.Options o = new SimZnodeHistory.Options(3, 2, List.of(PATH), 3, 0.25, 0, 1,
                    SimZnodeHistory.ReadMode.LINEARIZABLE);
            History h = mutate(SimZnodeHistory.generate(seed, o), random);
            List<Operation> ops = h.byPath().get(PATH).stream()
                    .filter(op -> op.call().isWrite() || !op.isIndeterminate()).toList();
            boolean expected = enumerate(ops, new boolean[ops.size()], State.ABSENT);
            LinearizabilityReport r = checker.check(h);
            long s = seed;
            assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, r.verdict(),
                    () -> "seed " + s + "\n" + r.describe() + h.describe());
            if (expected) {
                linearizable++;
            } else {
                not++;
            }
        }
        // Both answers must be common, or the comparison proves little.
        assertTrue(linearizable > 500 && not > 500, linearizable + " linearizable, " + not + " not");
    }

    /** True if some order of the unplaced operations respecting real time fits the model from {@code s}. */
    private static boolean enumerate(List<Operation> ops, boolean[] placed, State s) {
        boolean allKnownPlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            if (!placed[i] && !ops.get(i).isIndeterminate()) {
                allKnownPlaced = false;
            }
        }
        if (allKnownPlaced) {
            return true; // operations of unknown outcome may never take effect
        }
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !mayGoNext(ops, placed, i)) {
                continue;
            }
            State next = ZnodeModel.step(s, ops.get(i));
            if (next != null) {
                placed[i] = true;
                boolean ok = enumerate(ops, placed, next);
                placed[i] = false;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Operation i may go next when every operation that completed before it began is placed. */
    private static boolean mayGoNext(List<Operation> ops, boolean[] placed, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!placed[j] && j != i && ops.get(j).precedes(ops.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Changes up to two results at random to other plausible ones (or to unknown). */
    private static History mutate(History h, Random random) {
        List<Operation> ops = new ArrayList<>(h.operations());
        List<String> values = ops.stream().map(op -> op.call().writtenValue()).filter(v -> v != null).toList();
        int changes = random.nextInt(3);
        for (int c = 0; c < changes; c++) {
            Operation op = ops.get(random.nextInt(ops.size()));
            Result r = randomResult(op.call(), values, random);
            ops.set(op.id(), r.isKnown()
                    ? Operation.completed(op.id(), op.session(), op.call(), op.invokeNanos(),
                            op.isIndeterminate() ? op.invokeNanos() + 1000 : op.completeNanos(), r, Result.NO_ZXID)
                    : Operation.indeterminate(op.id(), op.session(), op.call(), op.invokeNanos()));
        }
        return History.of(ops);
    }

    private static Result randomResult(Call call, List<String> values, Random random) {
        if (random.nextInt(6) == 0) {
            return Result.unknown();
        }
        int pick = random.nextInt(3);
        if (call instanceof Call.Create) {
            return pick == 0 ? Result.failed(ErrorCode.NODE_EXISTS) : Result.created(Result.NO_ZXID);
        }
        if (call instanceof Call.SetData) {
            return pick == 0 ? Result.failed(ErrorCode.NO_NODE) : pick == 1 ? Result.failed(ErrorCode.BAD_VERSION)
                    : Result.written(1 + random.nextInt(3), Result.NO_ZXID);
        }
        if (call instanceof Call.Delete) {
            return pick == 0 ? Result.failed(ErrorCode.NO_NODE) : pick == 1 ? Result.failed(ErrorCode.BAD_VERSION)
                    : Result.deleted();
        }
        return pick == 0 || values.isEmpty() ? Result.failed(ErrorCode.NO_NODE)
                : Result.read(values.get(random.nextInt(values.size())), random.nextInt(3), Result.NO_ZXID);
    }
}

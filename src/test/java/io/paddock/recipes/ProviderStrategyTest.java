package io.paddock.recipes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderStrategyTest {

    static ServiceInstance inst(String id, double load) {
        return ServiceInstance.of("web", id, "10.0.0." + id.length(), 8000 + id.length()).withLoad(load);
    }

    static final List<ServiceInstance> THREE = List.of(inst("a", 0.5), inst("b", 0.2), inst("c", 0.9));

    @Test
    void noInstanceMeansNoPick() {
        assertEquals(Optional.empty(), ProviderStrategy.roundRobin().pick(List.of()));
        assertEquals(Optional.empty(), ProviderStrategy.leastLoaded().pick(List.of()));
        assertEquals(Optional.empty(), ProviderStrategy.random(new Random(1)).pick(List.of()));
    }

    @Test
    void roundRobinTakesEachInstanceInTurn() {
        ProviderStrategy rr = ProviderStrategy.roundRobin();
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(rr.pick(THREE).orElseThrow().id());
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), picks);
    }

    @Test
    void roundRobinCarriesOnWhenTheSetShrinks() {
        ProviderStrategy rr = ProviderStrategy.roundRobin();
        rr.pick(THREE);
        rr.pick(THREE); // next counter value is 2
        assertEquals("a", rr.pick(List.of(inst("a", 0), inst("b", 0))).orElseThrow().id());
    }

    @Test
    void leastLoadedPicksTheLowestPublishedLoad() {
        assertEquals("b", ProviderStrategy.leastLoaded().pick(THREE).orElseThrow().id());
    }

    @Test
    void leastLoadedFollowsALoadChange() {
        List<ServiceInstance> after = List.of(inst("a", 0.1), inst("b", 0.2), inst("c", 0.9));
        assertEquals("a", ProviderStrategy.leastLoaded().pick(after).orElseThrow().id());
    }

    @Test
    void leastLoadedBreaksTiesByIdWhateverTheInputOrder() {
        List<ServiceInstance> tied = List.of(inst("m", 0.3), inst("d", 0.3), inst("x", 0.3), inst("q", 0.7));
        List<ServiceInstance> reversed = new ArrayList<>(tied);
        java.util.Collections.reverse(reversed);
        assertEquals("d", ProviderStrategy.leastLoaded().pick(tied).orElseThrow().id());
        assertEquals("d", ProviderStrategy.leastLoaded().pick(reversed).orElseThrow().id());
        assertEquals(List.of("d", "m", "x", "q"),
                ProviderStrategy.byLoad(reversed).stream().map(ServiceInstance::id).toList());
    }

    @Test
    void randomPicksReplayFromTheSeedAndReachEveryInstance() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        ProviderStrategy r1 = ProviderStrategy.random(new Random(42));
        ProviderStrategy r2 = ProviderStrategy.random(new Random(42));
        for (int i = 0; i < 60; i++) {
            first.add(r1.pick(THREE).orElseThrow().id());
            second.add(r2.pick(THREE).orElseThrow().id());
        }
        assertEquals(first, second);
        assertTrue(first.containsAll(List.of("a", "b", "c")), first.toString());
    }
}

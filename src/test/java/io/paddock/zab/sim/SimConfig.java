package io.paddock.zab.sim;

/**
 * One kind of simulated ensemble: how many voters and observers, how long the fault phase and the
 * quiet (liveness) phase last in simulated time units (a Tick is every 10 units), how many
 * clients write, and whether learners carry the deliberate NEWLEADER-ack bug.
 */
public record SimConfig(int voters, int observers, int faultUnits, int quietUnits, int clients,
        boolean ackNewLeaderBeforePersist) {

    public static final int HALF_TICK_UNITS = 10;

    public static SimConfig of(int voters, int observers) {
        return new SimConfig(voters, observers, 1500, 900, 3, false);
    }

    public SimConfig withBrokenNewLeaderAck() {
        return new SimConfig(voters, observers, faultUnits, quietUnits, clients, true);
    }

    public int servers() {
        return voters + observers;
    }

    @Override
    public String toString() {
        return voters + " voters" + (observers > 0 ? " + " + observers + " observer(s)" : "")
                + (ackNewLeaderBeforePersist ? " (broken NEWLEADER ack)" : "");
    }
}

package io.paddock.recipes;

import io.paddock.client.PaddockClient;

import java.time.Duration;

/**
 * One participant of a leader election in a process of its own, for {@link LeaderLatchProcessTest}:
 * {@code kind connectString latchPath id sessionTimeoutMs}. Prints "JOINED id" once its node is
 * in the latch, then "LEADER id" / "NOT_LEADER id" as leadership comes and goes, and runs until
 * it is killed.
 */
public final class LatchParticipantMain {

    private LatchParticipantMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String connect = args[1];
        String latchPath = args[2];
        String id = args[3];
        Duration sessionTimeout = Duration.ofMillis(Long.parseLong(args[4]));
        PaddockClient client = RecipeServer.connect(kind, connect, sessionTimeout);
        LeaderLatch latch = new LeaderLatch(client, latchPath, id);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                say("LEADER " + id);
            }

            @Override
            public void notLeader() {
                say("NOT_LEADER " + id);
            }
        });
        latch.start();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (latch.participants().stream().noneMatch(p -> p.id().equals(id))) {
            if (System.nanoTime() - end > 0) {
                say("FAILED " + id + " never joined");
                System.exit(2);
            }
            Thread.sleep(20);
        }
        say("JOINED " + id + " session 0x" + Long.toHexString(client.sessionId()));
        Thread.currentThread().join(); // until killed
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}

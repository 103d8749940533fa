package io.paddock.recipes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one thread a recipe does its work on. Watchers and connection-state listeners run on the
 * client's event thread, which must not block; they hand work here instead. Running every step of
 * a recipe on one thread keeps its reads in the order they were sent (so a later read never shows
 * an older view) and its state free of races, as an actor's would be.
 */
final class RecipeWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecipeWorker.class);

    /** A step of a recipe: it may block on the client and may be interrupted when the recipe closes. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final String name;
    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    RecipeWorker(String name) {
        this.name = name;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        // A retry scheduled for later has no business running after close.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** Runs the step soon, after every step submitted before it; ignored once closed. */
    void execute(Step step) {
        try {
            executor.execute(() -> runLogged(step));
        } catch (RejectedExecutionException closed) {
            log.debug("{}: closed, step dropped", name);
        }
    }

    /** Runs the step after the delay; ignored once closed. */
    void schedule(Step step, Duration delay) {
        try {
            executor.schedule(() -> runLogged(step), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            log.debug("{}: closed, step dropped", name);
        }
    }

    /**
     * The pause before retrying a step that failed for want of a server: 100 ms doubling to 2 s.
     * The client has already retried within its policy; this only keeps a recipe from spinning
     * until its connection listener hears RECONNECTED.
     */
    static Duration retryDelay(int failures) {
        int shift = Math.min(Math.max(failures, 0), 5);
        return Duration.ofMillis(Math.min(2000L, 100L << shift));
    }

    /** Whether the caller is this worker's thread (a listener calling back into its recipe). */
    boolean inWorker() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs the step on this worker and waits for it (inline when called from the worker itself):
     * the way a blocking public method shares the worker's state without a lock.
     */
    void call(Step step, Duration timeout) throws Exception {
        if (inWorker()) {
            step.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    step.run();
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException closed) {
            throw new IllegalStateException(name + " is closed");
        }
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": no answer within " + timeout);
        }
    }

    private void runLogged(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the recipe is closing
        } catch (Exception | Error e) {
            log.warn("{}: step failed", name, e);
        }
    }

    /** Lets the queued steps finish for up to {@code grace}, then interrupts what still runs. */
    void shutdown(Duration grace) {
        executor.shutdown();
        if (inWorker()) {
            return; // a step closing its own recipe: the queue drains after it returns
        }
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}

package io.paddock.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How often and how long a client retries a request that failed without taking effect, or one
 * that is safe to run twice (reads, sync, session heartbeats). A write whose outcome is unknown
 * (the server went away after it was sent) is never retried: it fails with
 * {@link PaddockException.ConnectionLossException} and the caller decides.
 */
@FunctionalInterface
public interface RetryPolicy {

    /**
     * The pause before retry number {@code retry} (1 for the first retry), {@code elapsed} after the
     * first attempt started; empty to give up.
     */
    Optional<Duration> delayBeforeRetry(int retry, Duration elapsed);

    /** Never retry. */
    static RetryPolicy none() {
        return (retry, elapsed) -> Optional.empty();
    }

    /**
     * Exponential backoff: base, 2×base, 4×base … capped at {@code maxDelay}, each with up to 50%
     * random jitter, for at most {@code maxRetries} retries and no later than {@code maxElapsed}
     * after the first attempt.
     */
    static RetryPolicy exponentialBackoff(Duration base, Duration maxDelay, int maxRetries, Duration maxElapsed) {
        return new ExponentialBackoffRetry(base, maxDelay, maxRetries, maxElapsed);
    }
}

package io.paddock.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with a bound: retry n waits min(maxDelay, base × 2^(n-1)), less up to half of
 * it at random so that many clients that lost the same server do not come back in step; it gives
 * up after {@code maxRetries} retries or once {@code maxElapsed} has passed since the first attempt.
 */
public record ExponentialBackoffRetry(Duration base, Duration maxDelay, int maxRetries, Duration maxElapsed)
        implements RetryPolicy {

    public ExponentialBackoffRetry {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxElapsed, "maxElapsed");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("the base delay must be positive, not " + base);
        }
        if (maxDelay.compareTo(base) < 0) {
            throw new IllegalArgumentException("the largest delay " + maxDelay + " is below the base " + base);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, not " + maxRetries);
        }
    }

    @Override
    public Optional<Duration> delayBeforeRetry(int retry, Duration elapsed) {
        if (retry > maxRetries || elapsed.compareTo(maxElapsed) >= 0) {
            return Optional.empty();
        }
        long ceiling = nominalDelay(retry).toMillis();
        long jitter = ceiling / 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        return Optional.of(Duration.ofMillis(ceiling - jitter));
    }

    /** The delay before jitter: base × 2^(retry-1), capped. */
    Duration nominalDelay(int retry) {
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long millis = base.toMillis() << shift;
        if (millis <= 0 || millis > maxDelay.toMillis()) {
            return maxDelay;
        }
        return Duration.ofMillis(millis);
    }
}

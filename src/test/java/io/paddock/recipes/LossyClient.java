package io.paddock.recipes;

import io.paddock.client.CreateOptions;
import io.paddock.client.Created;
import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.tree.Stat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that passes everything to a real one, except that it can lose the answers of the next
 * creates (the create takes effect, the caller gets ConnectionLoss, as when a server dies after
 * applying it), or run the next create twice (a lost create that was still in flight when its
 * sender tried again).
 */
final class LossyClient extends ForwardingClient {

    private final PaddockClient real;
    final AtomicInteger loseCreateAnswers = new AtomicInteger();
    final AtomicInteger duplicateCreates = new AtomicInteger();
    final AtomicInteger failSetDataAfterApplying = new AtomicInteger();

    LossyClient(PaddockClient real) {
        this.real = real;
    }

    private static <T> CompletableFuture<T> lost(String path) {
        return CompletableFuture.failedFuture(new PaddockException.ConnectionLossException(path, "answer lost (test)"));
    }

    @Override
    public CompletionStage<Created> createAsync(String path, byte[] data, CreateOptions options) {
        if (duplicateCreates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return real.createAsync(path, data, options).thenCompose(first -> real.createAsync(path, data, options));
        }
        if (loseCreateAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return real.createAsync(path, data, options).handle((c, e) -> null).thenCompose(x -> lost(path));
        }
        return real.createAsync(path, data, options);
    }

    @Override
    public CompletionStage<Stat> setDataAsync(String path, byte[] data, int version) {
        if (failSetDataAfterApplying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return real.setDataAsync(path, data, version).handle((c, e) -> null).thenCompose(x -> lost(path));
        }
        return real.setDataAsync(path, data, version);
    }

    @Override
    protected PaddockClient delegate() {
        return real;
    }
}

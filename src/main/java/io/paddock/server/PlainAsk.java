package io.paddock.server;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.dispatch.ExecutionContexts;
import akka.dispatch.OnComplete;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import scala.compat.java8.FutureConverters;
import scala.concurrent.ExecutionContext;

/**
 * Akka's ask, answered as a plain {@link CompletableFuture} completed on the answering actor's
 * thread. Akka's own Java stage (which {@code ActorContext.ask} and {@code pipeToSelf} use too)
 * runs every dependent stage, even a non-async one, on Java's default async executor; with a
 * common pool of parallelism 1, as on a machine of two CPUs, that is a new thread for each.
 * Dependent stages of this one run where it completes: keep them short.
 */
public final class PlainAsk {

    private static final ExecutionContext SAME_THREAD = ExecutionContexts.fromExecutor(Runnable::run);

    private PlainAsk() {
    }

    public static <T, R> CompletableFuture<R> ask(ActorRef<T> target, Function<ActorRef<R>, T> message,
                                                  Duration timeout, Scheduler scheduler) {
        CompletableFuture<R> out = new CompletableFuture<>();
        FutureConverters.toScala(AskPattern.ask(target, message::apply, timeout, scheduler))
                .onComplete(new OnComplete<R>() {
                    @Override
                    public void onComplete(Throwable failure, R value) {
                        if (failure == null) {
                            out.complete(value);
                        } else {
                            out.completeExceptionally(failure);
                        }
                    }
                }, SAME_THREAD);
        return out;
    }
}

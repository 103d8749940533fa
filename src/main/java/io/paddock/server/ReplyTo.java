package io.paddock.server;

import akka.actor.typed.ActorRef;

import java.util.concurrent.CompletableFuture;

/**
 * Where the tree actor sends its answer to one request: an actor (a session's, the tracker's
 * ask) or a future a front end waits on. A future is completed on the tree actor's thread, as an
 * ask's is, but without the ask's temporary actor and timer: the HTTP API already bounds each
 * request by akka-http's request timeout, and those two were about 7% of a read's cost there.
 * Told once; it must not block.
 */
@FunctionalInterface
public interface ReplyTo {

    /** For requests whose answer nobody waits for. */
    ReplyTo NOBODY = reply -> {
    };

    void tell(Reply reply);

    static ReplyTo actor(ActorRef<Reply> ref) {
        return ref::tell;
    }

    static ReplyTo future(CompletableFuture<Reply> future) {
        return future::complete;
    }
}

package io.paddock.api.http;

import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/znodes/{path}?parents=true}: one multi that creates the missing ancestors as
 * persistent nodes and then the node, so that either all of them appear or none does. Ancestors
 * that exist when the request is prepared are left out; if another client creates one of them in
 * between (NodeExists on an ancestor), the request is prepared again, once.
 *
 * <p>Ancestors get the open ACL, as Curator's creatingParentsIfNeeded gives them by default:
 * the node's own ACL could forbid creating the node itself under them.
 */
final class CreateWithParents {

    private static final int ATTEMPTS = 2;

    private final ServerGateway gateway;

    CreateWithParents(ServerGateway gateway) {
        this.gateway = gateway;
    }

    /** The reply for the node's own create: Created with the actual path, or the error. */
    CompletionStage<Reply> submit(ApiDirectives.Caller caller, Op.Create create) {
        return attempt(caller, create, ATTEMPTS);
    }

    private CompletionStage<Reply> attempt(ApiDirectives.Caller caller, Op.Create create, int attemptsLeft) {
        List<String> ancestors = ZnodePaths.ancestors(create.path());
        List<CompletableFuture<Reply>> checks = new ArrayList<>(ancestors.size());
        for (String ancestor : ancestors) {
            checks.add(send(caller, new Op.Exists(ancestor, false)).toCompletableFuture());
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < ancestors.size(); i++) {
                Reply reply = checks.get(i).join();
                OpResult r = reply.result();
                if (r instanceof OpResult.StatResult s && s.stat() != null) {
                    continue;
                }
                boolean missing = r instanceof OpResult.StatResult
                        || (r instanceof OpResult.Error e && e.code() == ErrorCode.NO_NODE);
                if (!missing) {
                    return CompletableFuture.completedFuture(reply);
                }
                ops.add(new Op.Create(ancestors.get(i), new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0));
            }
            if (ops.isEmpty()) {
                return send(caller, create);
            }
            ops.add(create);
            return send(caller, new Op.Multi(ops)).thenCompose(reply -> outcome(caller, create, ops, reply, attemptsLeft));
        });
    }

    private CompletionStage<Reply> outcome(ApiDirectives.Caller caller, Op.Create create, List<Op> ops, Reply reply,
                                           int attemptsLeft) {
        if (reply.result() instanceof OpResult.Error e) {
            // A refused multi answered with its failing op's error alone: that op is known by
            // its path, since the ancestors and the node all have different paths.
            boolean ancestorRace = e.code() == ErrorCode.NODE_EXISTS && e.path() != null
                    && !e.path().equals(create.path());
            return ancestorRace && attemptsLeft > 1
                    ? attempt(caller, create, attemptsLeft - 1)
                    : CompletableFuture.completedFuture(reply);
        }
        if (!(reply.result() instanceof OpResult.Multi multi)) {
            return CompletableFuture.completedFuture(reply);
        }
        List<OpResult> results = multi.results();
        OpResult.Error first = multi.firstError();
        if (first == null) {
            return CompletableFuture.completedFuture(new Reply(reply.zxid(), results.get(results.size() - 1)));
        }
        int index = results.indexOf(first);
        boolean ancestorRace = index < ops.size() - 1 && first.code() == ErrorCode.NODE_EXISTS;
        if (ancestorRace && attemptsLeft > 1) {
            return attempt(caller, create, attemptsLeft - 1);
        }
        String path = first.path() != null ? first.path() : ops.get(Math.max(index, 0)).path();
        return CompletableFuture.completedFuture(new Reply(reply.zxid(), new OpResult.Error(first.code(), path,
                ApiErrors.messageOf(first.code(), path, first.message()))));
    }

    private CompletionStage<Reply> send(ApiDirectives.Caller caller, Op op) {
        return ApiDirectives.call(() -> gateway.submit(caller.sessionId(), op, caller.address()));
    }
}

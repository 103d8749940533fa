package io.paddock.api.net;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.AsyncCallback;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.GraphStageWithMaterializedValue;
import akka.util.ByteString;
import java.util.ArrayDeque;
import java.util.function.Function;
import scala.Tuple2;

/**
 * One {@link ClientSocket} as an Akka Streams flow: what the client sends comes out, and what goes
 * in is written to the client. Materializing it gives the receiver to hand the selector, so that
 * a stream-based server (akka-http's server layer) runs on a {@link PortSelector} thread's
 * sockets instead of Akka's TCP: a request's bytes take one hand-over to reach the stream (from
 * the selector's thread), and its answer none to reach the socket, as the stream's thread writes it.
 *
 * <p>Backpressure both ways: bytes not yet pulled downstream count as unconsumed, so the socket
 * stops reading at its limit; and after a write the socket had to queue, nothing more is pulled
 * until the queue has drained.
 *
 * <p>The end: when what goes in completes, the socket closes once what is queued is written; when
 * it fails, or the stream stops otherwise, the socket is aborted. When the client ends the
 * connection (or it fails), the stream completes (or fails). A consumer that cancels only stops
 * the reading; the connection lives until what goes in completes.
 *
 * <p>The elements may wrap the bytes ({@link #wrapping}): a server layer that takes its bytes
 * in envelopes (akka-http's, TLS's session bytes) then needs no stage of its own to wrap and
 * unwrap them.
 *
 * @param <I> what goes in, to be written
 * @param <O> what comes out, as read
 */
public final class SocketFlow<I, O> extends GraphStageWithMaterializedValue<FlowShape<I, O>, ClientSocket.Receiver> {

    private final Inlet<I> toClient = Inlet.create("SocketFlow.toClient");
    private final Outlet<O> fromClient = Outlet.create("SocketFlow.fromClient");
    private final FlowShape<I, O> shape = FlowShape.of(toClient, fromClient);
    private final ClientSocket socket;
    private final Function<I, ByteString> unwrap;
    private final Function<ByteString, O> wrap;

    private SocketFlow(ClientSocket socket, Function<I, ByteString> unwrap, Function<ByteString, O> wrap) {
        this.socket = socket;
        this.unwrap = unwrap;
        this.wrap = wrap;
    }

    /** The socket as a flow of its bytes. */
    public static SocketFlow<ByteString, ByteString> of(ClientSocket socket) {
        return new SocketFlow<>(socket, Function.identity(), Function.identity());
    }

    /**
     * The socket as a flow of envelopes: {@code unwrap} gives the bytes to write of what goes in
     * (null: nothing to write), {@code wrap} makes what comes out of the bytes read.
     */
    public static <I, O> SocketFlow<I, O> wrapping(ClientSocket socket, Function<I, ByteString> unwrap,
                                                   Function<ByteString, O> wrap) {
        return new SocketFlow<>(socket, unwrap, wrap);
    }

    @Override
    public FlowShape<I, O> shape() {
        return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, ClientSocket.Receiver> createLogicAndMaterializedValue(Attributes attributes) {
        Logic logic = new Logic();
        return Tuple2.apply(logic, logic.receiver);
    }

    private final class Logic extends GraphStageLogic {
        /** Read from the socket and not yet pulled. */
        private final ArrayDeque<ByteString> received = new ArrayDeque<>();
        /** A write left bytes queued in the socket: the next pull waits for them. */
        private boolean waitingForDrain;
        /** What goes in has completed and the socket closes after its queue: not to be aborted. */
        private boolean closing;

        // Created during materialization: calls before the stream starts are kept until it does.
        private final AsyncCallback<ByteString> onReceived = createAsyncCallback(this::receivedBytes);
        private final AsyncCallback<Boolean> onDrained = createAsyncCallback(x -> drained());
        private final AsyncCallback<Throwable> onEnded = createAsyncCallback(this::ended);
        private final AsyncCallback<Boolean> onClosed = createAsyncCallback(x -> completeStage());

        final ClientSocket.Receiver receiver = new ClientSocket.Receiver() {
            @Override
            public void received(ByteString bytes) {
                onReceived.invoke(bytes);
            }

            @Override
            public void drained() {
                onDrained.invoke(Boolean.TRUE);
            }

            @Override
            public void ended(Throwable failure) {
                if (failure == null) {
                    onClosed.invoke(Boolean.TRUE);
                } else {
                    onEnded.invoke(failure);
                }
            }
        };

        Logic() {
            super(shape);
            setHandler(fromClient, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    ByteString next = received.poll();
                    if (next != null) {
                        deliver(next);
                    }
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    // Nothing more is read; answers still go out until what goes in completes.
                    socket.pauseReading();
                }
            });
            setHandler(toClient, new AbstractInHandler() {
                @Override
                public void onPush() {
                    ByteString bytes = unwrap.apply(grab(toClient));
                    if (bytes == null || socket.write(bytes)) {
                        pull(toClient);
                    } else {
                        waitingForDrain = true;
                    }
                }

                @Override
                public void onUpstreamFinish() {
                    closing = true;
                    socket.close();
                    // The stream ends when the socket has written the rest and ended (onClosed).
                }

                @Override
                public void onUpstreamFailure(Throwable ex) {
                    failStage(ex);
                }
            });
        }

        @Override
        public void preStart() {
            pull(toClient);
        }

        private void receivedBytes(ByteString bytes) {
            if (isClosed(fromClient)) {
                socket.consumed(bytes.size());
            } else if (isAvailable(fromClient) && received.isEmpty()) {
                deliver(bytes);
            } else {
                received.add(bytes);
            }
        }

        private void deliver(ByteString bytes) {
            socket.consumed(bytes.size());
            push(fromClient, wrap.apply(bytes));
        }

        private void drained() {
            if (waitingForDrain) {
                waitingForDrain = false;
                if (!isClosed(toClient)) {
                    pull(toClient);
                }
            }
        }

        private void ended(Throwable failure) {
            failStage(failure);
        }

        @Override
        public void postStop() {
            if (!closing) {
                socket.abort();
            }
        }
    }
}

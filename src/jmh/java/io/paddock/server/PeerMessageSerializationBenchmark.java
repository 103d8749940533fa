package io.paddock.server;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import io.paddock.zab.PeerMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Peer messages as they travel between the servers of an ensemble: {@link PeerCodec} serializes
 * the message with Akka's serialization (as application.conf binds it: the messages here are
 * written by PeerMessageSerializer) into the bytes of one peer-link frame, and the receiver's codec reads them
 * back. Each benchmark is that round trip in one thread, without the network. The ActorSystem is
 * configured as a standalone server's (application.conf, local provider): serialization does not
 * depend on the provider.
 *
 * <p>In package io.paddock.server because PeerCodec and ForwardedWriteCodec are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeerMessageSerializationBenchmark {

    static final int DATA_BYTES = 100;

    private ActorSystem<Void> system;
    private Serialization serialization;
    private PeerCodec codec;

    private PeerMessage.Proposal proposal;
    private PeerMessage.Ack ack;
    private PeerMessage.Commit commit;
    private ForwardedWrite.Write forwarded;
    private long seq;

    @Setup
    public void setup() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "paddock-jmh");
        serialization = SerializationExtension.get(Adapter.toClassic(system));
        codec = new PeerCodec(serialization);

        byte[] data = new byte[DATA_BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        long zxid = 0x500000123L;
        TxnRecord record = new TxnRecord(zxid, 0x1000000abcL, 42, 1_767_225_600_000L,
                new Txn.SetData("/app/config/k0000042", data, 7));
        proposal = new PeerMessage.Proposal(record, zxid - 1, 2, 9001);
        ack = new PeerMessage.Ack(zxid);
        commit = new PeerMessage.Commit(zxid);
        forwarded = new ForwardedWrite.Write(0x1000000abcL, 42, List.of(new Id("ip", "10.0.0.7")),
                new Op.SetData("/app/config/k0000042", data, -1));

        // Every message must come back whole.
        PeerMessage.Proposal p = (PeerMessage.Proposal) roundTrip(proposal);
        Txn.SetData s = (Txn.SetData) p.record().txn();
        require(p.prevZxid() == proposal.prevZxid() && p.origin() == 2 && p.tag() == 9001
                && p.record().zxid() == zxid && p.record().sessionId() == record.sessionId()
                && p.record().cxid() == 42 && p.record().timeMs() == record.timeMs()
                && s.path().equals("/app/config/k0000042") && s.version() == 7 && Arrays.equals(s.data(), data),
                "the proposal comes back whole: " + p);
        require(ack.equals(roundTrip(ack)), "the ack comes back");
        require(commit.equals(roundTrip(commit)), "the commit comes back");
        ForwardedWrite.Write w = (ForwardedWrite.Write) forwardedWrite();
        Op.SetData op = (Op.SetData) w.op();
        require(w.sessionId() == forwarded.sessionId() && w.cxid() == 42 && w.identities().equals(forwarded.identities())
                && op.path().equals("/app/config/k0000042") && op.version() == -1 && Arrays.equals(op.data(), data),
                "the forwarded write comes back whole: " + w);
        for (PeerMessage m : List.of(proposal, ack, commit,
                new PeerMessage.Request(1, 1, ForwardedWriteCodec.encode(forwarded)))) {
            System.out.printf("%s: %d bytes in the frame, by %s%n", m.getClass().getSimpleName(),
                    codec.encode(m).length, serializerFor(m).getClass().getSimpleName());
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Serializer serializerFor(Object o) {
        return serialization.findSerializerFor(o);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup check failed: " + what);
        }
    }

    /** The sender's encoding into a frame's bytes and the receiver's decoding of them. */
    private PeerMessage roundTrip(PeerMessage message) throws Exception {
        return codec.decode(codec.encode(message));
    }

    @Benchmark
    public PeerMessage proposal() throws Exception {
        return roundTrip(proposal);
    }

    @Benchmark
    public PeerMessage ack() throws Exception {
        return roundTrip(ack);
    }

    @Benchmark
    public PeerMessage commit() throws Exception {
        return roundTrip(commit);
    }

    /**
     * A follower's client write on its way to the leader: ForwardedWriteCodec, a REQUEST, the
     * round trip, and the leader's decoding.
     */
    @Benchmark
    public ForwardedWrite forwardedWrite() throws Exception {
        PeerMessage.Request r = (PeerMessage.Request) roundTrip(
                new PeerMessage.Request(++seq, seq, ForwardedWriteCodec.encode(forwarded)));
        return ForwardedWriteCodec.decode(r.request());
    }

    /** The codec alone, to tell its share of forwardedWrite. */
    @Benchmark
    public ForwardedWrite forwardedWriteCodec() {
        return ForwardedWriteCodec.decode(ForwardedWriteCodec.encode(forwarded));
    }
}

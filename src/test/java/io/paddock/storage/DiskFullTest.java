package io.paddock.storage;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import io.paddock.server.ActorGateway;
import io.paddock.server.LogWriter;
import io.paddock.server.PaddockConfig;
import io.paddock.server.Reply;
import io.paddock.server.ServerGateway;
import io.paddock.server.SessionTracker;
import io.paddock.server.TreeActor;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.DataTree;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Op;
import io.paddock.tree.OpResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A full disk under the transaction log: writes are refused with a clear error and not applied,
 * reads go on, nothing acknowledged is lost, and writes resume once there is space again.
 */
class DiskFullTest {

    @TempDir
    Path dataDir;

    private final AtomicBoolean diskFull = new AtomicBoolean();
    private ActorTestKit testKit;

    @AfterEach
    void stop() {
        if (testKit != null) {
            testKit.shutdownTestKit();
        }
    }

    private ServerGateway start(TxnLog log, DataTree tree) {
        testKit = ActorTestKit.create();
        PaddockConfig config = PaddockConfig.defaults(dataDir);
        ActorRef<TreeActor.Command> treeActor =
                testKit.spawn(TreeActor.create(config, 0, System::currentTimeMillis, tree, log), "tree");
        ActorRef<SessionTracker.Command> tracker = testKit.spawn(
                SessionTracker.create(config, 0, treeActor, System::currentTimeMillis, Map.of()), "sessions");
        return new ActorGateway(testKit.system(), treeActor, tracker, 16);
    }

    private static OpResult run(ServerGateway gateway, Op op) throws Exception {
        Reply reply = gateway.submit(ServerGateway.NO_SESSION, op, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return reply.result();
    }

    private static Op create(String path) {
        return new Op.Create(path, path.getBytes(), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, 0);
    }

    @Test
    void writesFailClearlyWhileTheDiskIsFullAndResumeAfterwards() throws Exception {
        TxnLog.Options options = LogWriter.options(PaddockConfig.Storage.DEFAULTS);
        TxnLog log = TxnLog.open(dataDir, options, (file, opts) -> new FullDiskChannel(FileChannel.open(file, opts), diskFull));
        ServerGateway gateway = start(log, new DataTree());

        assertInstanceOf(OpResult.Created.class, run(gateway, create("/before")));
        diskFull.set(true);
        OpResult.Error refused = assertInstanceOf(OpResult.Error.class, run(gateway, create("/during")));
        assertEquals(ErrorCode.CONNECTION_LOSS, refused.code());
        assertEquals(true, refused.message().contains("No space left on device"), refused.message());
        assertInstanceOf(OpResult.Data.class, run(gateway, new Op.GetData("/before", false)), "reads go on");
        assertEquals(ErrorCode.NO_NODE,
                assertInstanceOf(OpResult.Error.class, run(gateway, new Op.GetData("/during", false))).code());

        diskFull.set(false);
        assertInstanceOf(OpResult.Created.class, run(gateway, create("/after")));
        testKit.shutdownTestKit();
        testKit = null;

        try (TxnLog reopened = TxnLog.open(dataDir, options)) {
            DataTree recovered = Recovery.recover(dataDir, reopened).tree();
            assertEquals(true, recovered.node("/before") != null, "acknowledged before the disk filled");
            assertEquals(true, recovered.node("/during") == null, "refused, so never there");
            assertEquals(true, recovered.node("/after") != null, "acknowledged after space came back");
        }
    }

    /** A file channel that fails writes and forces as a full disk does while {@code full} is set. */
    private static final class FullDiskChannel extends FileChannel {
        private final FileChannel inner;
        private final AtomicBoolean full;

        FullDiskChannel(FileChannel inner, AtomicBoolean full) {
            this.inner = inner;
            this.full = full;
        }

        private void check() throws IOException {
            if (full.get()) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return inner.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return inner.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check();
            return inner.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return inner.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            inner.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            inner.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check();
            inner.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return inner.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check();
            return inner.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return inner.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            return inner.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return inner.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return inner.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return inner.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            inner.close();
        }
    }
}

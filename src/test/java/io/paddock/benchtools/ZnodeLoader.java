package io.paddock.benchtools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * bench/compare-memory.sh's tool, run through ZooKeeper's own client against either server
 * (test scope, so Paddock's main code never depends on ZooKeeper's jar; the script runs this
 * file as a single-file source program with ZooKeeper's jars on the class path, so it needs
 * no test build).
 *
 * <pre>
 * load  HOST:PORT PARENTS CHILDREN BYTES   create /mem, PARENTS parents under it and CHILDREN
 *                                          persistent children of BYTES bytes under each,
 *                                          pipelined; prints "loaded N znodes in MS ms"
 * await HOST:PORT PATH                     print "polling", then poll srvr every 10 ms until it
 *                                          answers "Mode:", then read PATH; prints
 *                                          "srvr_at=A read_at=B" (epoch ms), so that the script
 *                                          can start the server once this JVM is up and polling
 * </pre>
 * Parents are /mem/pNNNN, children cNNNN: flat names, as ZooKeeper's own benchmarks use.
 */
public final class ZnodeLoader {

    private static final int MAX_OUTSTANDING = 2000;
    private static final int SESSION_TIMEOUT_MS = 30_000;

    private ZnodeLoader() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("load")) {
            load(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length == 3 && args[0].equals("await")) {
            await(args[1], args[2]);
        } else {
            System.err.println("usage: ZnodeLoader load HOST:PORT PARENTS CHILDREN BYTES | await HOST:PORT PATH");
            System.exit(2);
        }
        System.exit(0);
    }

    public static String parent(int p) {
        return String.format("/mem/p%04d", p);
    }

    public static String child(int p, int c) {
        return String.format("/mem/p%04d/c%04d", p, c);
    }

    private static void load(String connect, int parents, int children, int bytes) throws Exception {
        ZooKeeper zk = connect(connect);
        long started = System.nanoTime();
        byte[] data = new byte[bytes];
        Arrays.fill(data, (byte) 'x');
        Semaphore window = new Semaphore(MAX_OUTSTANDING);
        AtomicReference<String> failure = new AtomicReference<>();
        AsyncCallback.StringCallback done = (rc, path, ctx, name) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
                failure.compareAndSet(null, path + ": " + KeeperException.Code.get(rc));
            }
            window.release();
        };
        zk.create("/mem", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long created = 1;
        for (int p = 0; p < parents && failure.get() == null; p++) {
            // Parent and children go down the same session, whose requests apply in order.
            window.acquire();
            zk.create(parent(p), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, done, null);
            for (int c = 0; c < children; c++) {
                window.acquire();
                zk.create(child(p, c), data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, done, null);
            }
            created += 1 + children;
        }
        window.acquire(MAX_OUTSTANDING);
        long ms = (System.nanoTime() - started) / 1_000_000;
        zk.close();
        if (failure.get() != null) {
            System.err.println("create failed: " + failure.get());
            System.exit(1);
        }
        System.out.println("loaded " + created + " znodes in " + ms + " ms");
    }

    private static ZooKeeper connect(String connect) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, SESSION_TIMEOUT_MS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(60, TimeUnit.SECONDS)) {
            zk.close();
            throw new IOException("could not connect to " + connect + " within 60 s");
        }
        return zk;
    }

    private static void await(String connect, String path) throws Exception {
        // Loaded now, so that the first read after srvr does not wait for class loading.
        for (String c : new String[] {"org.apache.zookeeper.ClientCnxn", "org.apache.zookeeper.ClientCnxnSocketNIO",
                "org.apache.zookeeper.proto.GetDataRequest", "org.apache.zookeeper.proto.ConnectRequest"}) {
            Class.forName(c);
        }
        System.out.println("polling");
        System.out.flush();
        String host = connect.substring(0, connect.lastIndexOf(':'));
        int port = Integer.parseInt(connect.substring(connect.lastIndexOf(':') + 1));
        long deadline = System.currentTimeMillis() + 600_000;
        long srvrAt = -1;
        while (System.currentTimeMillis() < deadline) {
            if (srvr(host, port).contains("Mode:")) {
                srvrAt = System.currentTimeMillis();
                break;
            }
            Thread.sleep(10);
        }
        if (srvrAt < 0) {
            System.err.println("no srvr answer from " + connect + " within 600 s");
            System.exit(1);
        }
        ZooKeeper zk = connect(connect);
        byte[] got = zk.getData(path, false, null);
        long readAt = System.currentTimeMillis();
        zk.close();
        if (got == null) {
            System.err.println(path + " has no data");
            System.exit(1);
        }
        System.out.println("srvr_at=" + srvrAt + " read_at=" + readAt + " bytes=" + got.length);
    }

    /** A four-letter word's answer, or "" when nothing listens or answers yet. */
    private static String srvr(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}

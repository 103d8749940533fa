package io.paddock.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One benchmark client over the HTTP API as wrk drives a server: a blocking socket kept alive,
 * requests written from bytes made once per key ({@link HttpWire}), answers read just enough to
 * count them ({@link HttpResponseReader}), and {@code outstanding} requests pipelined on the one
 * connection (HTTP/1.1 pipelining: the server answers them in order). It costs the shared CPUs
 * a fraction of what the JDK's HttpClient does per request, so that what is measured is the server.
 *
 * <p>Errors count by HTTP status, as {@link BenchClient} counts them. A connection that fails
 * (closed, reset, an answer that is not HTTP) counts every request in flight on it as
 * {@code io}, one without an answer within the request timeout as {@code timeout}; the next
 * request opens a new connection, as the JDK client would. A server that says
 * {@code Connection: close} gets a new connection too, and the requests pipelined behind that
 * answer count as {@code io}.
 *
 * <p>The loop is closed, as BenchClient's: no correction for coordinated omission.
 */
final class HttpPipeClient implements BenchRun.Client {

    static final String IO = "io";
    static final String TIMEOUT = "timeout";

    /** The requests one client sends, in order. Used by one thread. */
    interface Requests {
        /** Appends the next request, whole (head and body), to {@code out}. */
        void appendNext(HttpWire.Out out);
    }

    private final URI server;
    private final InetSocketAddress address;
    private final Requests source;
    private final int outstanding;
    private final Duration readTimeout;
    private final HttpWire.Out out = new HttpWire.Out();
    /** When each request in flight was sent, oldest at {@code head}. */
    private final long[] sentNs;
    private int head;
    private int inFlight;
    private SocketChannel channel;
    private HttpResponseReader reader;

    /**
     * Connects now, so that the clock starts on a ready client.
     *
     * @throws BenchException nothing answers at {@code server}
     */
    HttpPipeClient(URI server, Requests source, int outstanding) throws BenchException {
        this(server, source, outstanding, BenchHttp.REQUEST_TIMEOUT);
    }

    HttpPipeClient(URI server, Requests source, int outstanding, Duration readTimeout) throws BenchException {
        this.server = server;
        this.address = new InetSocketAddress(server.getHost(), server.getPort() < 0 ? 80 : server.getPort());
        this.source = source;
        this.outstanding = outstanding;
        this.readTimeout = readTimeout;
        this.sentNs = new long[outstanding];
        try {
            connect();
        } catch (ConnectException e) {
            throw new BenchException("nothing answers at " + server + ". Is the server running?", e);
        } catch (IOException e) {
            throw new BenchException("cannot connect to " + server + ": " + e, e);
        }
    }

    private void connect() throws IOException {
        SocketChannel c = SocketChannel.open();
        try {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // The channel's socket adaptor honours both timeouts on a blocking channel.
            c.socket().connect(address, (int) BenchHttp.CONNECT_TIMEOUT.toMillis());
            c.socket().setSoTimeout((int) readTimeout.toMillis());
            reader = new HttpResponseReader(c.socket().getInputStream());
            channel = c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void run(ClientTally tally) {
        long endNs = tally.window().endNs();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (inFlight < outstanding && System.nanoTime() < endNs) {
                    if (channel == null) {
                        connect();
                    }
                    sendUpTo(outstanding - inFlight, endNs);
                }
                if (inFlight == 0) {
                    return;
                }
                int status = reader.next();
                long arrivedNs = System.nanoTime();
                if (status / 100 == 2) {
                    tally.success(sentNs[head], arrivedNs);
                } else {
                    tally.failure(arrivedNs, Integer.toString(status), 1, reader.errorBody());
                }
                head = (head + 1) % outstanding;
                inFlight--;
                if (reader.closes()) {
                    lost(tally, IO, server + " closed the connection after an answer (HTTP " + status + ")"
                            + " with requests pipelined behind it");
                }
            } catch (SocketTimeoutException e) {
                lost(tally, TIMEOUT, "no answer from " + server + " within " + readTimeout.toSeconds() + " s: " + e);
            } catch (IOException e) {
                // An interrupt closes the channel: the run is being abandoned, and nothing is counted.
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (inFlight == 0) {
                    inFlight = 1; // the connection that would not open stands for the request it was for
                }
                lost(tally, IO, server + ": " + e);
            }
        }
    }

    /** Appends up to {@code n} requests (fewer once the window has ended) and writes them at once. */
    private void sendUpTo(int n, long endNs) throws IOException {
        out.clear();
        int appended = 0;
        while (appended < n && (appended == 0 || System.nanoTime() < endNs)) {
            source.appendNext(out);
            appended++;
        }
        long now = System.nanoTime();
        for (int i = 0; i < appended; i++) {
            sentNs[(head + inFlight + i) % outstanding] = now;
        }
        inFlight += appended;
        out.writeTo(channel);
    }

    /** Every request in flight failed for {@code cause}; the connection is closed, and the next request opens another. */
    private void lost(ClientTally tally, String cause, String message) {
        if (inFlight > 0) {
            tally.failure(System.nanoTime(), cause, inFlight, message);
        }
        inFlight = 0;
        head = 0;
        close();
    }

    @Override
    public void close() {
        SocketChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Closing a socket we are done with: nothing to do about a failure.
            }
        }
    }
}

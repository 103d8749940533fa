package io.paddock.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which servers --target picks, by the role each says it has: over HTTP the {@code mode} of
 * GET /v1/status, over ZooKeeper's protocol the "Mode:" line of the {@code srvr} four-letter
 * word, which ZooKeeper answers whatever its 4lw whitelist says (zkServer.sh status needs it).
 */
final class ServerRoles {

    private static final Pattern MODE = Pattern.compile("(?m)^Mode: *([A-Za-z-]+)");
    /** A srvr answer is a few hundred bytes; more is not a ZooKeeper server. */
    private static final int MAX_ANSWER = 64 << 10;

    private ServerRoles() {
    }

    /** Whether a server in {@code mode} is one that {@code target} picks; a standalone server is its own leader. */
    static boolean picks(BenchOptions.Target target, String mode) {
        return switch (target) {
            case ALL -> true;
            case LEADER -> mode.equals("leader") || mode.equals("standalone");
            case FOLLOWERS -> mode.equals("follower");
        };
    }

    /** The role in a srvr answer ("leader", "follower", "standalone", ...), or null when it has no Mode line. */
    static String modeOfSrvr(String answer) {
        Matcher m = MODE.matcher(answer);
        return m.find() ? m.group(1) : null;
    }

    /** Asks {@code server}'s client port {@code srvr} and returns its role. */
    static String zkMode(InetSocketAddress server) throws BenchException {
        String where = server.getHostString() + ":" + server.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHostString(), server.getPort()),
                    (int) ZkWorkload.CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ZkWorkload.READ_TIMEOUT.toMillis());
            socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0 && answer.size() < MAX_ANSWER) {
                answer.write(buffer, 0, n);
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            String mode = modeOfSrvr(text);
            if (mode == null) {
                throw new BenchException(where + " did not say its role in answer to srvr (is the four-letter word "
                        + "srvr allowed there?): " + text.strip());
            }
            return mode;
        } catch (IOException e) {
            throw new BenchException("cannot ask " + where + " for its role (srvr): " + e, e);
        }
    }
}

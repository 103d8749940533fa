package io.paddock.storage;

import io.paddock.storage.SegmentReader.Frame;
import io.paddock.storage.SegmentReader.Header;
import io.paddock.storage.SegmentReader.HeaderState;
import io.paddock.storage.SegmentReader.Kind;
import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Perms;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code paddock logdump <segment>}: every record of one log segment in readable form, as
 * ZooKeeper's LogFormatter prints a log file. A header line, one line per record
 * <pre>
 * 2023-11-14T22:13:20.001Z session 0x100000000000001 cxid 3 zxid 0x1 create path=/a dataLength=2 data="hi" acl=[world:anyone:cdrwa] mode=PERSISTENT parentCversion=1
 * </pre>
 * (a multi's entries on lines of their own, indented under it), then a summary line. Reading
 * stops at the first bad frame, at a zxid out of order, or at non-zero bytes after the records
 * (the rules of {@link SegmentScan}): the records before it are printed, then a line
 * {@code BAD RECORD at offset N: problem}, and the exit status is 1. One segment alone cannot
 * tell a torn tail from corruption (only the newest segment may be torn): {@code paddock verify}
 * judges the whole directory.
 */
public final class LogDump {

    /** How many bytes of a node's data a record line shows. */
    static final int PREVIEW_BYTES = 32;

    static final int OK = 0;
    static final int BAD = 1;
    static final int USAGE = 2;

    /** Fixed width, always UTC, so that dumps from different machines compare line by line. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final Pattern SEGMENT_NAME = Pattern.compile("log\\.([0-9a-f]{16})");
    private static final String INDENT = "    ";

    private LogDump() {
    }

    /** The command: {@code args} is the segment file. 0 all read, 1 a bad or unreadable record, 2 bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("Usage: paddock logdump <log segment file>   (a dataDir/log.<zxid> file)");
            return USAGE;
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            err.println("paddock logdump: " + file + " is not a file");
            return USAGE;
        }
        try {
            return dump(file, out);
        } catch (IOException e) {
            out.flush();
            err.println("paddock logdump: cannot read " + file + ": " + e.getMessage());
            return BAD;
        }
    }

    /**
     * Prints every record of {@code file}; returns 0 when every byte of it made sense, 1 when it
     * stopped at a bad header or record (printed with its offset). IOException: it could not be read.
     */
    public static int dump(Path file, PrintStream out) throws IOException {
        String name = file.getFileName().toString();
        Matcher m = SEGMENT_NAME.matcher(name);
        long firstZxid = m.matches() ? Long.parseUnsignedLong(m.group(1), 16) : headerZxid(file);
        try (SegmentReader reader = SegmentReader.open(ChannelFactory.DEFAULT, file)) {
            long size = reader.size();
            Header header = reader.header(firstZxid);
            if (header.state() != HeaderState.VALID) {
                out.println(name + ": BAD HEADER at offset 0: " + header.problem());
                out.println("Summary: 0 records (" + size + " bytes)");
                return BAD;
            }
            out.println("Paddock log segment " + name + ": format version " + TxnLog.VERSION + ", first zxid 0x"
                    + Long.toHexString(firstZxid) + ", " + size + " bytes");
            long pos = TxnLog.HEADER_BYTES;
            long records = 0;
            long lastZxid = 0;
            String problem = null;
            boolean mayBeTorn = true;
            Frame frame;
            while ((frame = reader.read(pos, size)).kind() == Kind.RECORD) {
                TxnRecord r = frame.record();
                if (records == 0 && r.zxid() != firstZxid) {
                    problem = String.format("the first record has zxid 0x%x, but the segment is named for 0x%x",
                            r.zxid(), firstZxid);
                    mayBeTorn = false;
                    break;
                }
                if (records > 0 && r.zxid() <= lastZxid) {
                    problem = String.format("zxid 0x%x does not follow the previous record's 0x%x", r.zxid(), lastZxid);
                    mayBeTorn = false;
                    break;
                }
                for (String line : lines(r)) {
                    out.println(line);
                }
                records++;
                lastZxid = r.zxid();
                pos = frame.end();
            }
            if (problem == null) {
                if (frame.kind() == Kind.BAD) {
                    problem = frame.problem();
                } else {
                    long nonZero = reader.firstNonZero(pos, size);
                    if (nonZero >= 0) {
                        problem = "the records end, but a non-zero byte follows at offset " + nonZero;
                    }
                }
            }
            if (problem != null) {
                long above = records == 0 ? firstZxid - 1 : lastZxid;
                out.println("BAD RECORD at offset " + pos + ": " + problem
                        + (mayBeTorn ? "; " + whatFollows(reader, pos, size, above) : ""));
            }
            out.println("Summary: " + records + (records == 1 ? " record" : " records")
                    + (records == 0 ? "" : ", first zxid 0x" + Long.toHexString(firstZxid) + ", last zxid 0x"
                            + Long.toHexString(lastZxid))
                    + ", " + (problem == null ? "records end" : "stopped") + " at offset " + pos + " of " + size);
            return problem == null ? OK : BAD;
        }
    }

    /** Whether a valid record lies after a bad one: what tells corruption from a torn tail. */
    private static String whatFollows(SegmentReader reader, long pos, long size, long aboveZxid) throws IOException {
        long valid = reader.findRecordAfter(pos + 1, size, aboveZxid);
        return valid >= 0
                ? "a valid record follows at offset " + valid + ", so this is corruption, not a torn tail"
                : "nothing valid follows: in the newest segment this is a torn tail, which start-up truncates here";
    }

    /** The zxid a segment header carries, for a file whose name does not say it (a copy). */
    private static long headerZxid(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(TxnLog.HEADER_BYTES);
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // positional reads until the header is in or the file ends
            }
            return b.position() == TxnLog.HEADER_BYTES ? b.getLong(8) : 0;
        }
    }

    // ---- formatting ---------------------------------------------------------------------------

    /** A record as printed: one line, then one more per entry of a multi (indented by depth). */
    static List<String> lines(TxnRecord r) {
        List<String> out = new ArrayList<>();
        String head = TIME.format(Instant.ofEpochMilli(r.timeMs())) + " session 0x" + Long.toHexString(r.sessionId())
                + " cxid " + r.cxid() + " zxid 0x" + Long.toHexString(r.zxid()) + " ";
        txn(r.txn(), head, 0, out);
        return out;
    }

    private static void txn(Txn txn, String prefix, int depth, List<String> out) {
        out.add(prefix + txn(txn));
        if (txn instanceof Txn.Multi multi && multi.txns() != null) {
            for (Txn t : multi.txns()) {
                txn(t, INDENT.repeat(depth + 1), depth + 1, out);
            }
        }
    }

    /** ZooKeeper's operation name (TraceFormatter.op2String) and the transaction's fields. */
    static String txn(Txn txn) {
        if (txn instanceof Txn.CreateSession cs) {
            return "createSession timeout=" + cs.timeoutMs();
        } else if (txn instanceof Txn.CloseSession) {
            return "closeSession";
        } else if (txn instanceof Txn.Create c) {
            CreateMode mode = c.mode();
            return "create path=" + text(c.path()) + " " + data(c.data()) + " acl=" + acl(c.acl()) + " mode=" + mode
                    + (mode.isTtl() ? " ttl=" + c.ttlMs() : "") + " parentCversion=" + c.parentCversion();
        } else if (txn instanceof Txn.Delete d) {
            return "delete path=" + text(d.path());
        } else if (txn instanceof Txn.SetData s) {
            return "setData path=" + text(s.path()) + " " + data(s.data()) + " version=" + s.version();
        } else if (txn instanceof Txn.SetAcl s) {
            return "setACL path=" + text(s.path()) + " acl=" + acl(s.acl()) + " version=" + s.version();
        } else if (txn instanceof Txn.Check c) {
            return "check path=" + text(c.path()) + " version=" + c.version();
        } else if (txn instanceof Txn.Multi m) {
            return "multi count=" + (m.txns() == null ? "null" : String.valueOf(m.txns().size()));
        } else if (txn instanceof Txn.Error e) {
            return "error code=" + e.code().codeName();
        }
        throw new IllegalArgumentException("unknown transaction kind " + txn.getClass().getName());
    }

    /** {@code dataLength=N data="preview"}: printable ASCII as is, others as \xNN, cut at {@value #PREVIEW_BYTES}. */
    static String data(byte[] data) {
        if (data == null) {
            return "dataLength=0 data=null";
        }
        StringBuilder sb = new StringBuilder("dataLength=").append(data.length).append(" data=\"");
        int n = Math.min(data.length, PREVIEW_BYTES);
        for (int i = 0; i < n; i++) {
            int b = data[i] & 0xff;
            if (b == '"' || b == '\\') {
                sb.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        sb.append('"');
        if (data.length > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** {@code [scheme:id:perms,...]} with zkCli's permission letters. */
    static String acl(List<Acl> acl) {
        if (acl == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < acl.size(); i++) {
            Acl a = acl.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append(text(a.id().scheme())).append(':').append(text(a.id().id())).append(':')
                    .append(Perms.letters(a.perms()));
        }
        return sb.append(']').toString();
    }

    /** A path or id on one line: control characters (never valid in a path, possible in damage) as \xNN. */
    static String text(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f;
            if (control && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                if (control) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}

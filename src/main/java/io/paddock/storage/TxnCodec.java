package io.paddock.storage;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Txn;
import io.paddock.tree.TxnRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The binary form of a {@link TxnRecord}, as the log stores it. Deterministic (the same record
 * always gives the same bytes) and versioned by the frame around it: a log segment's header
 * carries the format version, so the record itself has none. All numbers are big-endian.
 *
 * <pre>
 * Record:     zxid long, sessionId long, cxid int, timeMs long, Txn
 * Txn:        kind byte, then by kind:
 *   1 CreateSession  timeoutMs int
 *   2 CloseSession   (nothing)
 *   3 Create         path Str, data Bytes, acl Acls, mode int (CreateMode.flag), ttlMs long, parentCversion int
 *   4 Delete         path Str
 *   5 SetData        path Str, data Bytes, version int
 *   6 SetAcl         path Str, acl Acls, version int
 *   7 Check          path Str, version int
 *   8 Multi          count int, Txn * count        (nesting at most {@value #MAX_MULTI_DEPTH} deep)
 *   9 Error          code int (ErrorCode.intValue)
 * Str:        length int (-1 for null), UTF-8 bytes
 * Bytes:      length int (-1 for null), bytes
 * Acls:       count int (-1 for null), (perms int, scheme Str, id Str) * count
 * </pre>
 * As in jute, strings, byte arrays and lists may be null; enums and transactions may not.
 * Decoding checks every length against the bytes left, so garbage never allocates much and
 * always ends in a {@link CorruptRecordException}.
 */
public final class TxnCodec {

    /** zxid, sessionId, cxid, timeMs. */
    static final int HEADER_BYTES = 8 + 8 + 4 + 8;
    /** The smallest record: a header and a CloseSession. */
    static final int MIN_BYTES = HEADER_BYTES + 1;
    /** Deep enough for a multi holding a DeleteAll; bounded so that garbage cannot overflow the stack. */
    static final int MAX_MULTI_DEPTH = 16;

    private static final byte CREATE_SESSION = 1;
    private static final byte CLOSE_SESSION = 2;
    private static final byte CREATE = 3;
    private static final byte DELETE = 4;
    private static final byte SET_DATA = 5;
    private static final byte SET_ACL = 6;
    private static final byte CHECK = 7;
    private static final byte MULTI = 8;
    private static final byte ERROR = 9;

    private static final int NULL_LENGTH = -1;
    private static final int ACL_MIN_BYTES = 4 + 4 + 4;

    private TxnCodec() {
    }

    public static byte[] encode(TxnRecord record) {
        // Sized first, so that encoding allocates exactly the bytes it returns.
        byte[] bytes = new byte[size(record)];
        int written = encode(record, bytes, 0);
        if (written != bytes.length) {
            throw new IllegalStateException("encoded " + written + " bytes, sized " + bytes.length);
        }
        return bytes;
    }

    /** How many bytes {@code record} takes, as {@link #encode} writes it. */
    public static int size(TxnRecord record) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(record.txn(), "record.txn");
        return HEADER_BYTES + size(record.txn(), 1);
    }

    /**
     * Writes {@code record} into {@code dst} from {@code offset}, which must leave room for its
     * {@link #size(TxnRecord)} bytes; returns how many it wrote.
     */
    public static int encode(TxnRecord record, byte[] dst, int offset) {
        Objects.requireNonNull(record.txn(), "record.txn");
        Writer w = new Writer(dst, offset);
        w.putLong(record.zxid());
        w.putLong(record.sessionId());
        w.putInt(record.cxid());
        w.putLong(record.timeMs());
        write(w, record.txn());
        return w.pos - offset;
    }

    public static TxnRecord decode(byte[] bytes, int offset, int length) throws CorruptRecordException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Reader r = new Reader(bytes, offset, length);
        if (length < MIN_BYTES) {
            throw new CorruptRecordException("a record takes at least " + MIN_BYTES + " bytes, not " + length);
        }
        long zxid = r.getLong();
        long sessionId = r.getLong();
        int cxid = r.getInt();
        long timeMs = r.getLong();
        Txn txn = read(r, 1);
        if (r.remaining() != 0) {
            throw new CorruptRecordException(r.remaining() + " bytes left over after the transaction");
        }
        return new TxnRecord(zxid, sessionId, cxid, timeMs, txn);
    }

    private static int size(Txn txn, int depth) {
        Objects.requireNonNull(txn, "txn");
        if (depth > MAX_MULTI_DEPTH) {
            throw new IllegalArgumentException("multi nested deeper than " + MAX_MULTI_DEPTH);
        }
        int body;
        if (txn instanceof Txn.CreateSession) {
            body = 4;
        } else if (txn instanceof Txn.CloseSession) {
            body = 0;
        } else if (txn instanceof Txn.Create c) {
            Objects.requireNonNull(c.mode(), "create mode");
            body = size(c.path()) + size(c.data()) + size(c.acl()) + 4 + 8 + 4;
        } else if (txn instanceof Txn.Delete d) {
            body = size(d.path());
        } else if (txn instanceof Txn.SetData s) {
            body = size(s.path()) + size(s.data()) + 4;
        } else if (txn instanceof Txn.SetAcl s) {
            body = size(s.path()) + size(s.acl()) + 4;
        } else if (txn instanceof Txn.Check c) {
            body = size(c.path()) + 4;
        } else if (txn instanceof Txn.Multi m) {
            body = 4;
            if (m.txns() != null) {
                for (Txn t : m.txns()) {
                    body = Math.addExact(body, size(t, depth + 1));
                }
            }
        } else if (txn instanceof Txn.Error e) {
            Objects.requireNonNull(e.code(), "error code");
            body = 4;
        } else {
            throw new IllegalArgumentException("unknown transaction kind " + txn.getClass().getName());
        }
        return Math.addExact(1, body);
    }

    private static void write(Writer w, Txn txn) {
        if (txn instanceof Txn.CreateSession cs) {
            w.putByte(CREATE_SESSION);
            w.putInt(cs.timeoutMs());
        } else if (txn instanceof Txn.CloseSession) {
            w.putByte(CLOSE_SESSION);
        } else if (txn instanceof Txn.Create c) {
            w.putByte(CREATE);
            w.putString(c.path());
            w.putBytes(c.data());
            w.putAcls(c.acl());
            w.putInt(c.mode().flag());
            w.putLong(c.ttlMs());
            w.putInt(c.parentCversion());
        } else if (txn instanceof Txn.Delete d) {
            w.putByte(DELETE);
            w.putString(d.path());
        } else if (txn instanceof Txn.SetData s) {
            w.putByte(SET_DATA);
            w.putString(s.path());
            w.putBytes(s.data());
            w.putInt(s.version());
        } else if (txn instanceof Txn.SetAcl s) {
            w.putByte(SET_ACL);
            w.putString(s.path());
            w.putAcls(s.acl());
            w.putInt(s.version());
        } else if (txn instanceof Txn.Check c) {
            w.putByte(CHECK);
            w.putString(c.path());
            w.putInt(c.version());
        } else if (txn instanceof Txn.Multi m) {
            w.putByte(MULTI);
            if (m.txns() == null) {
                w.putInt(NULL_LENGTH);
            } else {
                w.putInt(m.txns().size());
                for (Txn t : m.txns()) {
                    write(w, t);
                }
            }
        } else if (txn instanceof Txn.Error e) {
            w.putByte(ERROR);
            w.putInt(e.code().intValue());
        }
    }

    private static Txn read(Reader r, int depth) throws CorruptRecordException {
        int kindAt = r.at();
        if (depth > MAX_MULTI_DEPTH) {
            throw new CorruptRecordException("multi nested deeper than " + MAX_MULTI_DEPTH + " at " + kindAt);
        }
        byte kind = r.getByte();
        switch (kind) {
            case CREATE_SESSION:
                return new Txn.CreateSession(r.getInt());
            case CLOSE_SESSION:
                return new Txn.CloseSession();
            case CREATE: {
                String path = r.getString();
                byte[] data = r.getBytes();
                List<Acl> acl = r.getAcls();
                int flag = r.getInt();
                CreateMode mode = CreateMode.fromFlag(flag);
                if (mode == null) {
                    throw new CorruptRecordException("unknown create mode " + flag + " at " + (r.at() - 4));
                }
                return new Txn.Create(path, data, acl, mode, r.getLong(), r.getInt());
            }
            case DELETE:
                return new Txn.Delete(r.getString());
            case SET_DATA:
                return new Txn.SetData(r.getString(), r.getBytes(), r.getInt());
            case SET_ACL:
                return new Txn.SetAcl(r.getString(), r.getAcls(), r.getInt());
            case CHECK:
                return new Txn.Check(r.getString(), r.getInt());
            case MULTI: {
                int count = r.getCount(1);
                if (count == NULL_LENGTH) {
                    return new Txn.Multi(null);
                }
                List<Txn> txns = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    txns.add(read(r, depth + 1));
                }
                return new Txn.Multi(Collections.unmodifiableList(txns));
            }
            case ERROR: {
                int code = r.getInt();
                try {
                    return new Txn.Error(ErrorCode.of(code));
                } catch (IllegalArgumentException e) {
                    throw new CorruptRecordException("unknown error code " + code + " at " + (r.at() - 4), e);
                }
            }
            default:
                throw new CorruptRecordException("unknown transaction kind " + kind + " at " + kindAt);
        }
    }

    private static int size(String s) {
        return 4 + (s == null ? 0 : utf8Length(s));
    }

    private static int size(byte[] b) {
        return 4 + (b == null ? 0 : b.length);
    }

    private static int size(List<Acl> acl) {
        int n = 4;
        if (acl != null) {
            for (Acl a : acl) {
                Objects.requireNonNull(a.id(), "acl id");
                n = Math.addExact(n, 4 + size(a.id().scheme()) + size(a.id().id()));
            }
        }
        return n;
    }

    /** The length of {@link String#getBytes} in UTF-8, which turns an unpaired surrogate into '?'. */
    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Fills an array sized in advance. */
    private static final class Writer {
        final byte[] buf;
        int pos;

        Writer(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        void putByte(int b) {
            buf[pos++] = (byte) b;
        }

        void putInt(int v) {
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
        }

        void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        void putBytes(byte[] b) {
            if (b == null) {
                putInt(NULL_LENGTH);
                return;
            }
            putInt(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void putString(String s) {
            if (s == null) {
                putInt(NULL_LENGTH);
                return;
            }
            putInt(utf8Length(s));
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    buf[pos++] = (byte) c;
                } else if (c < 0x800) {
                    buf[pos++] = (byte) (0xc0 | (c >> 6));
                    buf[pos++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[pos++] = (byte) (0xf0 | (cp >> 18));
                    buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    buf[pos++] = (byte) (0x80 | (cp & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    buf[pos++] = (byte) '?';
                } else {
                    buf[pos++] = (byte) (0xe0 | (c >> 12));
                    buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    buf[pos++] = (byte) (0x80 | (c & 0x3f));
                }
            }
        }

        void putAcls(List<Acl> acl) {
            if (acl == null) {
                putInt(NULL_LENGTH);
                return;
            }
            putInt(acl.size());
            for (Acl a : acl) {
                putInt(a.perms());
                putString(a.id().scheme());
                putString(a.id().id());
            }
        }
    }

    /** Reads a slice of an array, refusing to read or allocate past its end. */
    private static final class Reader {
        private final byte[] buf;
        private final int start;
        private final int end;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int pos;

        Reader(byte[] buf, int offset, int length) {
            this.buf = buf;
            this.start = offset;
            this.pos = offset;
            this.end = offset + length;
        }

        int remaining() {
            return end - pos;
        }

        /** The offset from the start of the record, for messages. */
        int at() {
            return pos - start;
        }

        private void need(int n, String what) throws CorruptRecordException {
            if (n > end - pos) {
                throw new CorruptRecordException(what + " at " + (pos - start) + " needs " + n + " bytes, "
                        + (end - pos) + " left");
            }
        }

        byte getByte() throws CorruptRecordException {
            need(1, "a byte");
            return buf[pos++];
        }

        int getInt() throws CorruptRecordException {
            need(4, "an int");
            int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                    | (buf[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        long getLong() throws CorruptRecordException {
            need(8, "a long");
            long high = getInt();
            return (high << 32) | (getInt() & 0xffffffffL);
        }

        /** A length or count: -1 (null) or one whose elements of {@code minElementBytes} fit in what is left. */
        int getCount(int minElementBytes) throws CorruptRecordException {
            int at = pos - start;
            int n = getInt();
            if (n == NULL_LENGTH) {
                return n;
            }
            if (n < 0 || (long) n * minElementBytes > end - pos) {
                throw new CorruptRecordException("length " + n + " at " + at + " does not fit in the "
                        + (end - pos) + " bytes left");
            }
            return n;
        }

        byte[] getBytes() throws CorruptRecordException {
            int n = getCount(1);
            if (n == NULL_LENGTH) {
                return null;
            }
            byte[] b = new byte[n];
            System.arraycopy(buf, pos, b, 0, n);
            pos += n;
            return b;
        }

        String getString() throws CorruptRecordException {
            int at = pos - start;
            int n = getCount(1);
            if (n == NULL_LENGTH) {
                return null;
            }
            try {
                String s = utf8.reset().decode(ByteBuffer.wrap(buf, pos, n)).toString();
                pos += n;
                return s;
            } catch (CharacterCodingException e) {
                throw new CorruptRecordException("string at " + at + " is not UTF-8", e);
            }
        }

        List<Acl> getAcls() throws CorruptRecordException {
            int n = getCount(ACL_MIN_BYTES);
            if (n == NULL_LENGTH) {
                return null;
            }
            List<Acl> acl = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int perms = getInt();
                String scheme = getString();
                String id = getString();
                acl.add(new Acl(perms, new Id(scheme, id)));
            }
            return Collections.unmodifiableList(acl);
        }
    }
}

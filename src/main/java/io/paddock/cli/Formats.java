package io.paddock.cli;

import io.paddock.client.PaddockException;
import io.paddock.client.WatchEvent;
import io.paddock.tree.Acl;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;

import java.util.Date;
import java.util.List;

/** How zkCli 3.9 prints what the server answers: Stats, ACLs, data, watch events and errors. */
final class Formats {

    private static final String NL = System.lineSeparator();
    private static final String HEX_DIGITS = "0123456789abcdef";

    private Formats() {
    }

    /** zkCli's StatPrinter: one "name = value" line each, zxids and the owner in hex, times as Date prints them. */
    static String stat(Stat s) {
        return "cZxid = 0x" + Long.toHexString(s.czxid()) + NL
                + "ctime = " + new Date(s.ctime()) + NL
                + "mZxid = 0x" + Long.toHexString(s.mzxid()) + NL
                + "mtime = " + new Date(s.mtime()) + NL
                + "pZxid = 0x" + Long.toHexString(s.pzxid()) + NL
                + "cversion = " + s.cversion() + NL
                + "dataVersion = " + s.version() + NL
                + "aclVersion = " + s.aversion() + NL
                + "ephemeralOwner = 0x" + Long.toHexString(s.ephemeralOwner()) + NL
                + "dataLength = " + s.dataLength() + NL
                + "numChildren = " + s.numChildren() + NL;
    }

    /** ls: the names sorted, as Java prints a list: "[a, b]". */
    static String children(List<String> names) {
        return names.stream().sorted().toList().toString();
    }

    /**
     * getAcl: each entry as zkCli prints it, the Id in jute's CSV form ("'world,'anyone", then a
     * line break jute puts after a record) and the permission letters: "'world,'anyone\n: cdrwa".
     */
    static String acl(List<Acl> acl) {
        StringBuilder sb = new StringBuilder();
        for (Acl a : acl) {
            sb.append(juteId(a.id())).append(": ").append(Perms.letters(a.perms())).append(NL);
        }
        return sb.toString();
    }

    /** jute's toString of an Id record: its two strings, CSV-escaped and quoted, then a new line. */
    static String juteId(Id id) {
        return "'" + csvEscape(id.scheme()) + ",'" + csvEscape(id.id()) + NL;
    }

    /** jute's Utils.toCSVString escaping, without the leading quote. */
    static String csvEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\0' -> sb.append("%00");
                case '\n' -> sb.append("%0A");
                case '\r' -> sb.append("%0D");
                case ',' -> sb.append("%2C");
                case '}' -> sb.append("%7D");
                case '%' -> sb.append("%25");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** whoami: one "scheme: user" line per identity, a digest identity by its user name alone. */
    static String identity(Id id) {
        String shown = id.id();
        if ("digest".equals(id.scheme()) && shown.indexOf(':') >= 0) {
            shown = shown.substring(0, shown.indexOf(':'));
        }
        return id.scheme() + ": " + shown;
    }

    /**
     * A watch event as zkCli's watcher prints it: a blank line, "WATCHER::", a blank line and
     * ZooKeeper 3.9's WatchedEvent.toString, which ends with the zxid (-1 for session events).
     */
    static String watchEvent(WatchEvent e) {
        return NL + "WATCHER::" + NL + NL + e + " zxid: " + e.zxid() + NL;
    }

    /**
     * netty's ByteBufUtil.prettyHexDump, which zkCli's get -x prints: a ruled table of 16 bytes
     * a row, offsets and bytes in hex, the printable ASCII beside them. Empty for no data.
     */
    static String hexDump(byte[] data) {
        if (data.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("         +-------------------------------------------------+").append(NL)
                .append("         |  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f |").append(NL)
                .append("+--------+-------------------------------------------------+----------------+");
        for (int row = 0; row < data.length; row += 16) {
            sb.append(NL).append('|').append(String.format("%08x", row)).append('|');
            int end = Math.min(row + 16, data.length);
            for (int i = row; i < row + 16; i++) {
                if (i < end) {
                    int b = data[i] & 0xff;
                    sb.append(' ').append(HEX_DIGITS.charAt(b >> 4)).append(HEX_DIGITS.charAt(b & 0xf));
                } else {
                    sb.append("   ");
                }
            }
            sb.append(" |");
            for (int i = row; i < row + 16; i++) {
                if (i < end) {
                    int b = data[i] & 0xff;
                    sb.append(b <= 0x1f || b >= 0x7f ? '.' : (char) b);
                } else {
                    sb.append(' ');
                }
            }
            sb.append('|');
        }
        sb.append(NL).append("+--------+-------------------------------------------------+----------------+");
        return sb.toString();
    }

    /**
     * What zkCli prints for a refused request (its CliWrapperException): a sentence for the
     * common codes, naming the path, else KeeperException's "KeeperErrorCode = … for path".
     * The path is the request's, as ZooKeeper's client reports it (a create under a missing parent
     * names the node asked for, not the parent); the answer's when the request had none.
     */
    static String error(PaddockException e, String requestPath) {
        String path = requestPath != null ? requestPath : e.path();
        return switch (e.code()) {
            case NO_NODE -> "Node does not exist: " + path;
            case NO_CHILDREN_FOR_EPHEMERALS -> "Ephemerals cannot have children: " + path;
            case NODE_EXISTS -> "Node already exists: " + path;
            case NOT_EMPTY -> "Node not empty: " + path;
            case NOT_READONLY -> "Not a read-only call: " + path;
            case INVALID_ACL -> "Acl is not valid : " + path;
            case NO_AUTH -> "Insufficient permission : " + path;
            case BAD_ARGUMENTS -> "Arguments are not valid : " + path;
            case BAD_VERSION -> "version No is not valid : " + path;
            case QUOTA_EXCEEDED -> "Quota has exceeded : " + path;
            default -> "KeeperErrorCode = " + codeMessage(e.code()) + (path == null ? "" : " for " + path);
        };
    }

    /** KeeperException.getCodeMessage: the words ZooKeeper's client uses for each code. */
    static String codeMessage(ErrorCode code) {
        return switch (code) {
            case OK -> "ok";
            case SYSTEM_ERROR -> "SystemError";
            case RUNTIME_INCONSISTENCY -> "RuntimeInconsistency";
            case DATA_INCONSISTENCY -> "DataInconsistency";
            case CONNECTION_LOSS -> "ConnectionLoss";
            case MARSHALLING_ERROR -> "MarshallingError";
            case NEW_CONFIG_NO_QUORUM -> "NewConfigNoQuorum";
            case RECONFIG_IN_PROGRESS -> "ReconfigInProgress";
            case UNIMPLEMENTED -> "Unimplemented";
            case OPERATION_TIMEOUT -> "OperationTimeout";
            case BAD_ARGUMENTS -> "BadArguments";
            case API_ERROR -> "APIError";
            case NO_NODE -> "NoNode";
            case NO_AUTH -> "NoAuth";
            case BAD_VERSION -> "BadVersion";
            case NO_CHILDREN_FOR_EPHEMERALS -> "NoChildrenForEphemerals";
            case NODE_EXISTS -> "NodeExists";
            case INVALID_ACL -> "InvalidACL";
            case AUTH_FAILED -> "AuthFailed";
            case SESSION_EXPIRED -> "Session expired";
            case NOT_EMPTY -> "Directory not empty";
            case INVALID_CALLBACK -> "Invalid callback";
            case SESSION_MOVED -> "Session moved";
            case NOT_READONLY -> "Not a read-only call";
            case EPHEMERAL_ON_LOCAL_SESSION -> "Ephemeral node on local session";
            case NO_WATCHER -> "No such watcher";
            case RECONFIG_DISABLED -> "Reconfig is disabled";
            case SESSION_CLOSED_REQUIRE_SASL_AUTH -> "Session closed because client failed to authenticate";
            case QUOTA_EXCEEDED -> "Quota has exceeded";
            case THROTTLED_OP -> "Op throttled due to high load";
            case REQUEST_TIMEOUT -> "Request timeout";
            case UNKNOWN_SESSION -> "Unknown session";
        };
    }
}

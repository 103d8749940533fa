package io.paddock.api.zk;

import io.paddock.tree.Acl;
import io.paddock.tree.Id;
import io.paddock.tree.Stat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.zookeeper.data.ACL;

/**
 * Paddock's Stat, Acl and Id to and from the jute records of org.apache.zookeeper.data: the same
 * fields in the same order, so every conversion is field by field. Null stays null.
 */
public final class ZkData {

    private ZkData() {
    }

    public static org.apache.zookeeper.data.Stat toJute(Stat s) {
        if (s == null) {
            return null;
        }
        return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(),
                s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(), s.numChildren(), s.pzxid());
    }

    public static Stat fromJute(org.apache.zookeeper.data.Stat s) {
        if (s == null) {
            return null;
        }
        return new Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
                s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
    }

    public static org.apache.zookeeper.data.Id toJute(Id id) {
        return id == null ? null : new org.apache.zookeeper.data.Id(id.scheme(), id.id());
    }

    public static Id fromJute(org.apache.zookeeper.data.Id id) {
        return id == null ? null : new Id(id.getScheme(), id.getId());
    }

    public static ACL toJute(Acl acl) {
        return acl == null ? null : new ACL(acl.perms(), toJute(acl.id()));
    }

    public static Acl fromJute(ACL acl) {
        return acl == null ? null : new Acl(acl.getPerms(), fromJute(acl.getId()));
    }

    /** A list of ACL entries to jute's; null stays null. */
    public static List<ACL> aclsToJute(List<Acl> acls) {
        if (acls == null) {
            return null;
        }
        List<ACL> out = new ArrayList<>(acls.size());
        for (Acl a : acls) {
            out.add(toJute(a));
        }
        return out;
    }

    /** A list of jute ACL entries to Paddock's, unmodifiable; null stays null. */
    public static List<Acl> aclsFromJute(List<ACL> acls) {
        if (acls == null) {
            return null;
        }
        List<Acl> out = new ArrayList<>(acls.size());
        for (ACL a : acls) {
            out.add(fromJute(a));
        }
        return Collections.unmodifiableList(out);
    }
}

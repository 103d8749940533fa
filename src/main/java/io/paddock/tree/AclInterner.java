package io.paddock.tree;

import java.util.HashMap;
import java.util.List;

/**
 * Shares one immutable list among all nodes with equal ACLs, as ZooKeeper's
 * ReferenceCountedACLCache does: a million nodes usually carry a handful of distinct ACLs.
 */
final class AclInterner {
    private final HashMap<List<Acl>, Entry> cache = new HashMap<>();

    private static final class Entry {
        final List<Acl> acl;
        int refs;

        Entry(List<Acl> acl) {
            this.acl = acl;
        }
    }

    List<Acl> intern(List<Acl> acl) {
        Entry e = cache.get(acl);
        if (e == null) {
            List<Acl> copy = List.copyOf(acl);
            e = new Entry(copy);
            cache.put(copy, e);
        }
        e.refs++;
        return e.acl;
    }

    void release(List<Acl> acl) {
        Entry e = cache.get(acl);
        if (e != null && --e.refs == 0) {
            cache.remove(acl);
        }
    }
}

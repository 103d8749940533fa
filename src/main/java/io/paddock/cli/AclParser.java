package io.paddock.cli;

import io.paddock.tree.Acl;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * zkCli's ACL syntax: entries "scheme:id:perms" separated by commas, the id being everything
 * between the first and the last colon (so "digest:user:hash:cdrwa" and "ip:10.0.0.0/8:r" work).
 * As in zkCli, a malformed entry or an unknown permission letter is reported and skipped, and
 * the rest is used.
 */
final class AclParser {

    private AclParser() {
    }

    static List<Acl> parse(String text, PrintWriter err) {
        List<Acl> acl = new ArrayList<>();
        for (String entry : text.split(",")) {
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first < 0 || first == last) {
                err.println(entry + " does not have the form scheme:id:perm");
                continue;
            }
            int perms = 0;
            for (char c : entry.substring(last + 1).toCharArray()) {
                int bit = Perms.parse(String.valueOf(c));
                if (bit <= 0 || Character.isUpperCase(c)) {
                    err.println("Unknown perm type: " + c);
                } else {
                    perms |= bit;
                }
            }
            acl.add(new Acl(perms, new Id(entry.substring(0, first), entry.substring(first + 1, last))));
        }
        return acl;
    }
}

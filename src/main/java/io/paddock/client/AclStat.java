package io.paddock.client;

import io.paddock.tree.Acl;
import io.paddock.tree.Stat;

import java.util.List;

/** A znode's ACL and Stat, as getACL answers. */
public record AclStat(List<Acl> acl, Stat stat) {
}

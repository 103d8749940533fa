package io.paddock.cli;

import io.paddock.tree.Acl;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AclParserTest {

    private final StringWriter errors = new StringWriter();
    private final PrintWriter err = new PrintWriter(errors, true);

    @Test
    void entriesAreCommaSeparatedSchemeIdPerms() {
        assertEquals(List.of(new Acl(Perms.READ, Id.ANYONE), new Acl(Perms.READ | Perms.WRITE, new Id("ip", "127.0.0.1"))),
                AclParser.parse("world:anyone:r,ip:127.0.0.1:rw", err));
        assertEquals("", errors.toString());
    }

    @Test
    void theIdIsEverythingBetweenTheFirstAndTheLastColon() {
        assertEquals(List.of(new Acl(Perms.ALL, new Id("digest", "u:Rs1Z5pFNNBaQ5yBhM2dq6JwYBEE="))),
                AclParser.parse("digest:u:Rs1Z5pFNNBaQ5yBhM2dq6JwYBEE=:cdrwa", err));
    }

    @Test
    void aMalformedEntryIsReportedAndSkipped() {
        assertEquals(List.of(new Acl(Perms.READ, Id.ANYONE)), AclParser.parse("foo,world:anyone:r", err));
        assertEquals("foo does not have the form scheme:id:perm" + System.lineSeparator(), errors.toString());
    }

    @Test
    void anUnknownPermissionLetterIsReportedAndTheOthersKept() {
        assertEquals(List.of(new Acl(Perms.ALL, Id.ANYONE)), AclParser.parse("world:anyone:cdrwxa", err));
        assertEquals("Unknown perm type: x" + System.lineSeparator(), errors.toString());
    }
}

package io.paddock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.tree.Acl;
import io.paddock.tree.CreateMode;
import io.paddock.tree.Id;
import io.paddock.tree.Op;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForwardedWriteCodecTest {

    private static final byte[] DATA = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyWriteOpSurvivesTheRoundTrip() {
        Op multi = new Op.Multi(List.of(
                new Op.Create("/a", DATA, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 5000),
                new Op.Create("/b", null, List.of(new Acl(1, new Id("digest", "u:x"))), CreateMode.EPHEMERAL, 0),
                new Op.Delete("/c", 3),
                new Op.SetData("/d", new byte[0], -1),
                new Op.Check("/e", 7)));
        List<Op> ops = List.of(multi, new Op.DeleteAll("/f"), new Op.SetAcl("/g", Acl.READ_ACL_UNSAFE, 2),
                new Op.Reap("/h"), new Op.Create("/\u00e9\u4e2d", DATA, Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, 0));
        for (Op op : ops) {
            ForwardedWrite w = new ForwardedWrite.Write(0x1234_5678_9abcL, 42, List.of(new Id("digest", "bob:hash"), Id.ANYONE), op);
            ForwardedWrite back = ForwardedWriteCodec.decode(ForwardedWriteCodec.encode(w));
            assertEquals(describe(w), describe(back));
        }
    }

    @Test
    void sessionChangesSurviveTheRoundTrip() {
        assertEquals(new ForwardedWrite.OpenSession(7, 30000),
                ForwardedWriteCodec.decode(ForwardedWriteCodec.encode(new ForwardedWrite.OpenSession(7, 30000))));
        assertEquals(new ForwardedWrite.CloseSession(-1),
                ForwardedWriteCodec.decode(ForwardedWriteCodec.encode(new ForwardedWrite.CloseSession(-1))));
    }

    @Test
    void readsCannotBeForwarded() {
        assertThrows(IllegalArgumentException.class, () -> ForwardedWriteCodec.encode(
                new ForwardedWrite.Write(1, 1, List.of(), new Op.GetData("/a", false))));
    }

    @Test
    void garbageIsRefusedWithoutAllocatingWhatItClaims() {
        Random rnd = new Random(11);
        byte[] good = ForwardedWriteCodec.encode(new ForwardedWrite.Write(1, 2, List.of(),
                new Op.SetData("/x", DATA, 1)));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] prefix = Arrays.copyOf(good, cut);
            assertThrows(IllegalArgumentException.class, () -> ForwardedWriteCodec.decode(prefix), "cut at " + cut);
        }
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[rnd.nextInt(40)];
            rnd.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = 1;
            }
            try {
                ForwardedWriteCodec.decode(junk);
            } catch (IllegalArgumentException expected) {
                // refused, as it should be
            }
        }
        byte[] huge = {1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0x7f, 0x7f, 0x7f, 0x7f};
        assertThrows(IllegalArgumentException.class, () -> ForwardedWriteCodec.decode(huge));
    }

    /** Records holding byte arrays compare by identity; compare their contents. */
    private static String describe(ForwardedWrite w) {
        ForwardedWrite.Write write = (ForwardedWrite.Write) w;
        return write.sessionId() + "/" + write.cxid() + "/" + write.identities() + "/" + describe(write.op());
    }

    private static String describe(Op op) {
        if (op instanceof Op.Multi m) {
            return "multi" + m.ops().stream().map(ForwardedWriteCodecTest::describe).toList();
        }
        if (op instanceof Op.Create c) {
            return "create " + c.path() + " " + Arrays.toString(c.data()) + " " + c.acl() + " " + c.mode() + " " + c.ttlMs();
        }
        if (op instanceof Op.SetData s) {
            return "set " + s.path() + " " + Arrays.toString(s.data()) + " " + s.version();
        }
        return op.toString();
    }
}

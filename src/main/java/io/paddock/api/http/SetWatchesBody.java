package io.paddock.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.paddock.tree.Op;
import io.paddock.tree.PathUtils;
import io.paddock.tree.TreeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /v1/sessions/{id}/watches}: {"relativeZxid", "data", "exist", "child",
 * "persistent", "persistentRecursive"}, ZooKeeper's SetWatches2 in JSON. Every list is optional;
 * relativeZxid is required.
 */
final class SetWatchesBody {

    static final Set<String> FIELDS = Set.of("relativeZxid", "data", "exist", "child", "persistent",
            "persistentRecursive");

    private SetWatchesBody() {
    }

    /** The op the body asks for; 400 naming the field (and list position) for anything malformed. */
    static Op.SetWatches parse(byte[] body) {
        JsonFields f = JsonFields.parseBody(body, FIELDS);
        return new Op.SetWatches(relativeZxid(f), paths(f, "data"), paths(f, "exist"), paths(f, "child"),
                paths(f, "persistent"), paths(f, "persistentRecursive"));
    }

    /** The last zxid the client saw: "0x…" hex or decimal, as a string or a JSON integer. */
    private static long relativeZxid(JsonFields f) {
        String field = "relativeZxid";
        JsonNode v = f.raw(field).orElseThrow(() -> f.missing(field));
        long zxid;
        if (v.isTextual()) {
            zxid = HexIds.parse(v.textValue(), "field \"" + f.name(field) + "\"");
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            zxid = v.longValue();
        } else {
            throw f.wrongType(field, "a zxid (\"0x…\" or a decimal number)", v);
        }
        // Zxids are epoch and counter, never negative; a negative one would re-fire every watch.
        if (zxid < 0) {
            throw ApiException.badInput(null, "field \"" + f.name(field) + "\" must not be negative, not "
                    + HexIds.hex(zxid));
        }
        return zxid;
    }

    /**
     * One list of znode paths, checked as ZooKeeper checks a path (ZooKeeper's setWatches itself
     * checks none, but over HTTP a malformed one is a client's mistake worth naming).
     */
    private static List<String> paths(JsonFields f, String field) {
        Optional<ArrayNode> list = f.array(field);
        if (list.isEmpty()) {
            return List.of();
        }
        List<String> paths = new ArrayList<>(list.get().size());
        for (int i = 0; i < list.get().size(); i++) {
            JsonNode p = list.get().get(i);
            String where = f.name(field) + "[" + i + "]";
            if (!p.isTextual()) {
                throw ApiException.badInput(null, "field \"" + where + "\" must be a znode path (a string), not "
                        + JsonFields.kind(p));
            }
            try {
                PathUtils.validate(p.textValue());
            } catch (TreeException e) {
                throw ApiException.badInput(p.textValue(), "field \"" + where + "\": "
                        + e.getMessage());
            }
            paths.add(p.textValue());
        }
        return List.copyOf(paths);
    }
}

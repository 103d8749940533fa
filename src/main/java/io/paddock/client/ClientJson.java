package io.paddock.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paddock.tree.Acl;
import io.paddock.tree.ErrorCode;
import io.paddock.tree.Id;
import io.paddock.tree.Perms;
import io.paddock.tree.Stat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The HTTP API's JSON, from the client's side (docs/http-api.md). */
final class ClientJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ClientJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Parses an answer's body; a body that is not JSON is a fault of the server named in the message. */
    static JsonNode parse(byte[] body) throws PaddockException {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PaddockException.MarshallingErrorException(null,
                    "the server's answer is not JSON: " + e.getMessage());
        }
    }

    static String hex(long id) {
        return "0x" + Long.toHexString(id);
    }

    /** "0x…" hex or decimal, as the API prints ids and zxids. */
    static long parseId(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return Long.parseUnsignedLong(text.substring(2), 16);
        }
        return Long.parseLong(text);
    }

    static long id(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return 0L;
        }
        return v.isNumber() ? v.asLong() : parseId(v.asText());
    }

    static Stat stat(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return new Stat(id(n, "czxid"), id(n, "mzxid"), n.path("ctime").asLong(), n.path("mtime").asLong(),
                n.path("version").asInt(), n.path("cversion").asInt(), n.path("aversion").asInt(),
                id(n, "ephemeralOwner"), n.path("dataLength").asInt(), n.path("numChildren").asInt(), id(n, "pzxid"));
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data == null ? new byte[0] : data);
    }

    static byte[] data(JsonNode n) {
        JsonNode d = n.get("data");
        return d == null || d.isNull() ? new byte[0] : Base64.getDecoder().decode(d.asText());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    static ArrayNode aclJson(List<Acl> acl) {
        ArrayNode a = MAPPER.createArrayNode();
        for (Acl e : acl) {
            ObjectNode o = a.addObject();
            o.put("scheme", e.id().scheme());
            o.put("id", e.id().id());
            o.put("perms", Perms.letters(e.perms()));
        }
        return a;
    }

    static List<Acl> acl(JsonNode array) {
        List<Acl> out = new ArrayList<>();
        if (array != null) {
            for (JsonNode e : array) {
                JsonNode p = e.path("perms");
                int perms = p.isNumber() ? p.asInt() : Perms.parse(p.asText());
                out.add(new Acl(perms, new Id(e.path("scheme").asText(), e.path("id").asText())));
            }
        }
        return out;
    }

    static List<Id> identities(JsonNode array) {
        List<Id> out = new ArrayList<>();
        if (array != null) {
            array.forEach(e -> out.add(new Id(e.path("scheme").asText(), e.path("id").asText())));
        }
        return out;
    }

    /** The body of {@code POST /v1/sessions/{id}/watches}: the watches to re-arm on a server. */
    static ObjectNode setWatches(ClientWatches.Snapshot s) {
        ObjectNode body = object();
        body.put("relativeZxid", hex(s.relativeZxid()));
        addPaths(body, "data", s.data());
        addPaths(body, "exist", s.exist());
        addPaths(body, "child", s.child());
        addPaths(body, "persistent", s.persistent());
        addPaths(body, "persistentRecursive", s.persistentRecursive());
        return body;
    }

    private static void addPaths(ObjectNode body, String field, List<String> paths) {
        if (!paths.isEmpty()) {
            paths.forEach(body.putArray(field)::add);
        }
    }

    /** The exception for an error answer: its code's subclass, with the server's words. */
    static PaddockException error(int status, byte[] body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.has("code")) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            ErrorCode code = status == 503 ? ErrorCode.CONNECTION_LOSS : ErrorCode.SYSTEM_ERROR;
            return PaddockException.create(code, null, "HTTP " + status + " from the server: "
                    + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
        }
        ErrorCode code;
        try {
            code = ErrorCode.of(n.path("code").asInt());
        } catch (IllegalArgumentException e) {
            code = ErrorCode.SYSTEM_ERROR;
        }
        JsonNode path = n.get("path");
        return PaddockException.create(code, path == null || path.isNull() ? null : path.asText(),
                n.path("message").asText(n.path("error").asText()));
    }

    /** Whether an error answer says the server refused without handing the request on. */
    static boolean retrySafe(byte[] body) {
        try {
            return MAPPER.readTree(body).path("retrySafe").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}

package io.paddock.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A JSON object from a request, read strictly: only the fields an endpoint knows, each of the
 * right type. Every error is a 400 that names the field (with its place, e.g. "ops[2].mode")
 * in words of this API, never Jackson's own text. JSON null counts as absent.
 */
final class JsonFields {

    private final ObjectNode node;
    private final String where;

    private JsonFields(ObjectNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /**
     * Parses a request body into an object with only the {@code allowed} fields; an empty body is
     * an empty object.
     */
    static JsonFields parseBody(byte[] body, Set<String> allowed) {
        if (isBlank(body)) {
            return of(JsonModel.object(), "", allowed);
        }
        JsonNode tree;
        try {
            tree = JsonModel.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String place = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.badInput(null, "the body is not valid JSON" + place);
        } catch (IOException e) {
            throw ApiException.badInput(null, "the body is not valid JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            return of(JsonModel.object(), "", allowed);
        }
        if (!tree.isObject()) {
            throw ApiException.badInput(null, "the body must be a JSON object, not " + kind(tree));
        }
        return of((ObjectNode) tree, "", allowed);
    }

    /** A nested object (e.g. one op of a multi), checked against its own field names. */
    static JsonFields of(ObjectNode node, String where, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.badInput(null, "unknown field \"" + where + ApiException.clip(name)
                        + "\"; known fields: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return new JsonFields(node, where);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The full name of a field for messages, e.g. "ops[2].mode". */
    String name(String field) {
        return where + field;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    Optional<String> string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return Optional.of(v.textValue());
    }

    String requiredString(String field) {
        return string(field).orElseThrow(() -> missing(field));
    }

    OptionalInt integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return OptionalInt.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(field, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, v);
        }
        return OptionalInt.of(v.intValue());
    }

    OptionalLong longInteger(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(field, "a 64-bit integer", v);
        }
        return OptionalLong.of(v.longValue());
    }

    Optional<ArrayNode> array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isArray()) {
            throw wrongType(field, "an array", v);
        }
        return Optional.of((ArrayNode) v);
    }

    /** A field that may be a string or an integer (ACL perms); empty when absent. */
    Optional<JsonNode> raw(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    ApiException missing(String field) {
        return ApiException.badInput(null, "missing field \"" + name(field) + "\"");
    }

    ApiException wrongType(String field, String expected, JsonNode actual) {
        return ApiException.badInput(null, "field \"" + name(field) + "\" must be " + expected
                + ", not " + kind(actual));
    }

    /** A JSON value's kind in words, for messages. */
    static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isIntegralNumber()) {
            return "the number " + ApiException.clip(v.asText());
        }
        if (v.isNumber()) {
            return "a fractional number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return "null";
    }
}

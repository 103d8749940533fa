package io.paddock.client;

import java.util.Optional;

/**
 * Turns the lines of a Server-Sent Events stream into events: "field:value" lines accumulate
 * until a blank line ends the event; lines starting with ':' are comments (keep-alives). Only the
 * fields Paddock sends matter: event, data and id. Pure.
 */
final class SseParser {

    /** One event: its name ("message" when none was given), data, and id (null when none). */
    record Event(String name, String data, String id) {
    }

    private String name;
    private StringBuilder data;
    private String id;

    /** Takes one line (without its line end); an event when the line completes one. */
    Optional<Event> line(String line) {
        if (line.isEmpty()) {
            if (data == null && name == null && id == null) {
                return Optional.empty();
            }
            Event e = new Event(name != null ? name : "message", data != null ? data.toString() : "", id);
            name = null;
            data = null;
            id = null;
            return Optional.of(e);
        }
        if (line.charAt(0) == ':') {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "id" -> id = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields: nothing Paddock uses
            }
        }
        return Optional.empty();
    }
}

package io.paddock.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of an example: positional words and {@code --name value} options, each option one
 * of those the example accepts. Bad usage is an {@link IllegalArgumentException} whose message is
 * printed to the user.
 */
final class ExampleOptions {

    /** Where {@code bin/paddock server} listens with conf/paddock.cfg. */
    static final String DEFAULT_CONNECT = "127.0.0.1:8080";

    private final List<String> positional;
    private final Map<String, String> options;

    private ExampleOptions(List<String> positional, Map<String, String> options) {
        this.positional = positional;
        this.options = options;
    }

    static ExampleOptions parse(String[] args, List<String> accepted) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!accepted.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name
                        + (accepted.isEmpty() ? "" : " (options: --" + String.join(", --", accepted) + ")"));
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            options.put(name, value);
        }
        return new ExampleOptions(List.copyOf(positional), options);
    }

    List<String> positional() {
        return positional;
    }

    String connect() {
        return string("connect", DEFAULT_CONNECT);
    }

    String string(String name, String orElse) {
        return options.getOrDefault(name, orElse);
    }

    int positiveInt(String name, int orElse) {
        String v = options.get(name);
        if (v == null) {
            return orElse;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " takes a whole number above 0, not \"" + v + "\"");
    }

    double number(String name, double orElse) {
        String v = options.get(name);
        if (v == null) {
            return orElse;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a number, not \"" + v + "\"");
        }
    }

    /** A duration such as 2s, 500ms, 1m or 1.5s; a bare number is seconds. */
    Duration duration(String name, Duration orElse) {
        String v = options.get(name);
        return v == null ? orElse : parseDuration("--" + name, v);
    }

    static Duration parseDuration(String what, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unitMs;
        String number;
        if (t.endsWith("ms")) {
            unitMs = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unitMs = 1000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unitMs = 60_000;
            number = t.substring(0, t.length() - 1);
        } else {
            unitMs = 1000;
            number = t;
        }
        try {
            double n = Double.parseDouble(number);
            if (n >= 0 && !Double.isInfinite(n)) {
                return Duration.ofMillis(Math.round(n * unitMs));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " takes a duration such as 2s, 500ms or 1m, not \"" + text + "\"");
    }
}

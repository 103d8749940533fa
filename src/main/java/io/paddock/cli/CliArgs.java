package io.paddock.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One shell line split and parsed as zkCli does it: words split on blanks, a word in double or
 * single quotes kept whole (quotes stripped), then POSIX flags ({@code -s}, {@code -v 3},
 * bundled {@code -sw}) anywhere on the line, as commons-cli's parsers accept them. The command
 * name stays the first positional argument, as in zkCli ({@code args.get(0)}).
 */
final class CliArgs {

    /** zkCli's ARGS_PATTERN: an unquoted word, or a whole "…" or '…' group. */
    private static final Pattern WORD = Pattern.compile("\\s*([^\"']\\S*|\"[^\"]*\"|'[^']*')\\s*");
    private static final Pattern QUOTED = Pattern.compile("^(['\"])(.*)(\\1)$");
    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\d+(\\.\\d+)?");

    private final List<String> positional;
    private final Map<Character, String> flags;

    private CliArgs(List<String> positional, Map<Character, String> flags) {
        this.positional = positional;
        this.flags = flags;
    }

    /** The words of a line, as zkCli's parseCommand splits them; empty for a blank line. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        if (line.isBlank()) {
            return words;
        }
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            String value = m.group(1);
            if (QUOTED.matcher(value).matches()) {
                value = value.substring(1, value.length() - 1);
            }
            words.add(value);
        }
        return words;
    }

    /**
     * Parses the words of a command (the command name first). {@code switches} are the flags
     * without a value, {@code valued} those that take one ({@code -v 3} or {@code -v3}).
     *
     * @throws CliException an unknown flag, or a valued flag without its value
     */
    static CliArgs parse(List<String> words, String switches, String valued) throws CliException {
        List<String> positional = new ArrayList<>();
        Map<Character, String> flags = new LinkedHashMap<>();
        boolean onlyPositional = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (i == 0 || onlyPositional || w.length() < 2 || !w.startsWith("-") || NEGATIVE_NUMBER.matcher(w).matches()) {
                positional.add(w);
                continue;
            }
            if (w.equals("--")) {
                onlyPositional = true;
                continue;
            }
            // A bundle of switches (-sw), possibly ending in one valued flag (-sv 3, -v3).
            for (int j = 1; j < w.length(); j++) {
                char c = w.charAt(j);
                if (valued.indexOf(c) >= 0) {
                    String value;
                    if (j + 1 < w.length()) {
                        value = w.substring(j + 1);
                    } else if (i + 1 < words.size()) {
                        value = words.get(++i);
                    } else {
                        throw new CliException("Missing argument for option: " + c);
                    }
                    flags.put(c, value);
                    break;
                } else if (switches.indexOf(c) >= 0) {
                    flags.put(c, "");
                } else {
                    throw new CliException("Unrecognized option: " + (j == 1 ? w : "-" + c));
                }
            }
        }
        return new CliArgs(List.copyOf(positional), flags);
    }

    /** Positional arguments, the command name being number 0. */
    List<String> args() {
        return positional;
    }

    int count() {
        return positional.size();
    }

    String arg(int i) {
        return positional.get(i);
    }

    boolean has(char flag) {
        return flags.containsKey(flag);
    }

    /** The value of a valued flag, or null when it was not given. */
    String value(char flag) {
        return flags.get(flag);
    }
}

package io.paddock.examples;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code bin/paddock example <name> …}: the seed's two cases and the Akka integration as small
 * programs on Paddock's client, run against a server (by default {@code bin/paddock server} on this
 * machine, 127.0.0.1:8080). Their sources in io.paddock.examples are meant to be read.
 */
public final class ExampleCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: paddock example <name> [arguments]

            Examples (against a running server; --connect host:port, default 127.0.0.1:8080):
              servers register <name> [--load x]  register a server under /servers until stopped
              servers watch                       print the servers online every time the list changes
              lock [--hold 2s] [--times 3]        take turns on the lock /locks/example, printing fencing tokens
              akka                                an Akka application embedding a node, using the typed client actor
            """;

    private ExampleCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "servers" -> ServersExample.run(rest, out, err);
                case "lock" -> LockExample.run(rest, out, err);
                case "akka" -> AkkaClientExample.run(rest, out, err);
                case "help", "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    yield OK;
                }
                default -> {
                    err.println("paddock example: unknown example '" + args[0] + "'");
                    err.print(USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("paddock example: interrupted");
            return FAILED;
        }
    }
}

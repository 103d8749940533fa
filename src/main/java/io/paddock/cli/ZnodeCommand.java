package io.paddock.cli;

import io.paddock.client.PaddockClient;
import io.paddock.client.PaddockException;
import io.paddock.client.Watcher;
import io.paddock.tree.PathUtils;
import io.paddock.tree.TreeException;

import java.io.PrintWriter;
import java.util.List;

/**
 * One of zkCli's commands that talk to the server (ls, get, create, …): its name, its usage line
 * as zkCli 3.9 prints it, the flags it takes, and what it does. The shell's own commands
 * (connect, history, redo, …) live in {@link Shell}.
 *
 * @param name     the command word
 * @param options  zkCli's option string, printed after the name in usage lines and in help
 * @param switches flags without a value
 * @param valued   flags that take a value
 * @param minArgs  the fewest positional words, the command name included, below which the usage is printed
 * @param usage    what a usage error prints (zkCli prints option descriptions for get and set)
 * @param body     the work
 */
record ZnodeCommand(String name, String options, String switches, String valued, int minArgs, String usage,
                    Body body) {

    /** A command with the plain usage line "name options". */
    static ZnodeCommand of(String name, String options, String switches, String valued, int minArgs, Body body) {
        return new ZnodeCommand(name, options, switches, valued, minArgs, name + " " + options, body);
    }

    /** The command's work, given its parsed words. A refusal from the server is printed by the caller. */
    @FunctionalInterface
    interface Body {
        void run(CliArgs args, Context context) throws CliException, PaddockException, InterruptedException;
    }

    /** What commands need of the shell. */
    interface Context {
        /** The connected client; "Not connected" when the shell has none. */
        PaddockClient client() throws CliException;

        PrintWriter out();

        PrintWriter err();

        /**
         * The watcher to leave with -w reads and addWatch: it prints each event while printwatches
         * is on, as zkCli's default watcher does. One watcher for all, so an event that fires
         * several watches of one path prints once.
         */
        Watcher watcher();
    }

    /** All commands of the shell that reach the server, in no particular order. */
    static List<ZnodeCommand> all() {
        return List.of(
                ReadCommands.ls(), ReadCommands.get(), ReadCommands.stat(), ReadCommands.getAcl(),
                ReadCommands.getEphemerals(), ReadCommands.getAllChildrenNumber(),
                WriteCommands.create(), WriteCommands.set(), WriteCommands.delete(), WriteCommands.deleteall(),
                WriteCommands.setAcl(),
                SessionCommands.sync(), SessionCommands.addWatch(), SessionCommands.removewatches(),
                SessionCommands.addauth(), SessionCommands.whoami());
    }

    /**
     * Checks a path as ZooKeeper's client does before sending it (PathUtils.validatePath), with
     * its words, so that zkCli's messages come out ("Path must start with / character").
     */
    static void checkPath(String path, boolean sequential) throws CliException {
        if (path.isEmpty()) {
            throw new CliException("Path length must be > 0");
        }
        if (path.charAt(0) != '/') {
            throw new CliException("Path must start with / character");
        }
        if (!sequential && path.length() > 1 && path.endsWith("/")) {
            throw new CliException("Path must not end with / character");
        }
        try {
            PathUtils.validate(path, sequential);
        } catch (TreeException e) {
            String message = e.getMessage();
            int colon = message.indexOf("\": ");
            String reason = colon >= 0 ? message.substring(colon + 3) : message;
            throw new CliException("Invalid path string \"" + path + "\" caused by " + reason);
        }
    }

    /** An int flag's value, or {@code fallback} when the flag is absent. */
    static int intFlag(CliArgs args, char flag, int fallback) throws CliException {
        String v = args.value(flag);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new CliException("-" + flag + " argument must be an int value");
        }
    }
}

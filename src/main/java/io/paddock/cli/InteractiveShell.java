package io.paddock.cli;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The shell on a terminal, with JLine 3: line editing, a history kept in a file (up-arrow and
 * Ctrl-R reach earlier sessions' lines too), tab completion of command names and of znode paths.
 * Watch events are printed above the prompt line, which JLine then redraws with what was typed.
 * Ctrl-C abandons the line being typed; Ctrl-D on an empty line leaves, as quit does.
 */
final class InteractiveShell {

    private InteractiveShell() {
    }

    /**
     * Runs the shell until quit or end of input; returns the status of the last command (zkCli's rule).
     *
     * @param server      the connect string to open a session on first
     * @param historyFile where the line history is kept
     */
    static int run(String server, Duration sessionTimeout, Path historyFile) throws IOException, InterruptedException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            PrintWriter writer = terminal.writer();
            AtomicReference<LineReader> readerRef = new AtomicReference<>();
            Shell shell = new Shell(writer, writer, text -> printAbove(readerRef.get(), writer, text), sessionTimeout, true);

            DefaultParser parser = new DefaultParser();
            // zkCli's own splitting decides what a line means; JLine's parser only finds the word to complete.
            parser.setEofOnUnclosedQuote(false);
            parser.setEscapeChars(null);
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("paddock-cli")
                    .parser(parser)
                    .completer(completer(shell))
                    .history(new DefaultHistory())
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    // Data may hold '!' and '^': no bash-style history expansion.
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.HISTORY_INCREMENTAL, true)
                    .build();
            readerRef.set(reader);

            writer.println("Connecting to " + server);
            writer.flush();
            try {
                shell.connect(server);
            } catch (CliException e) {
                writer.println(e.getMessage());
            }
            writer.println("Welcome to Paddock! (a zkCli-compatible shell: help lists the commands)");
            writer.flush();
            try {
                while (!shell.quitRequested()) {
                    String line;
                    try {
                        line = reader.readLine(shell.prompt());
                    } catch (UserInterruptException e) {
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    shell.executeLine(line);
                    writer.flush();
                }
            } finally {
                shell.closeClient();
                reader.getHistory().save();
                writer.flush();
            }
            return shell.exitCode();
        }
    }

    /** Prints an event above the prompt while a line is being read, or plainly while a command runs. */
    private static void printAbove(LineReader reader, PrintWriter writer, String text) {
        if (reader == null) {
            synchronized (writer) {
                writer.print(text);
                writer.flush();
            }
        } else {
            reader.printAbove(text);
        }
    }

    /** The first word completes to a command; a word starting with '/' to a znode path. */
    private static Completer completer(Shell shell) {
        return (reader, line, candidates) -> {
            if (line.wordIndex() == 0) {
                for (String name : shell.commandNames()) {
                    candidates.add(new Candidate(name));
                }
            } else if (line.word().startsWith("/")) {
                for (String path : shell.completePath(line.word())) {
                    // Not complete: no space after it, so that the user can go on with "/child".
                    candidates.add(new Candidate(path, path, null, null, null, null, false));
                }
            }
        };
    }
}

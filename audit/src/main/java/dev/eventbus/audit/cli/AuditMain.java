package dev.eventbus.audit.cli;

import dev.eventbus.audit.archive.ArchiveException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * {@code eventbus audit}: capture, analyze and browse NATS audit archives. Every user error is one line on stderr
 * (exit 1, or 2 for a wrong command line), never a stack trace.
 */
public final class AuditMain {
    static final String PREFIX = "eventbus audit: ";

    private static final String USAGE = """
            Usage: eventbus audit <command> [flags]

            Commands:
              capture   capture the monitoring endpoints of servers into an archive
                        --server URL... [--output FILE]
              analyze   run the checks over an archive: FILE [--json]
              checks    list the checks analyze runs [--json]
              ls        list the entries of an archive: FILE [--tag label:value...] [--values LABEL]
              show      print one artifact: FILE --tag label:value... | FILE ENTRY
              diff      what changed between two captures: A B

            Archives use the NATS audit archive format (nats audit gather/analyze read them).
            Run 'eventbus audit <command> -h' for the command's flags.
            """;

    private AuditMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String cmd = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (cmd) {
                case "capture", "gather" -> CaptureCommand.run(rest, out, err);
                case "analyze" -> AnalyzeCommand.run(rest, out, err);
                case "checks" -> ChecksCommand.run(rest, out, err);
                case "ls" -> LsCommand.run(rest, out, err);
                case "show" -> ShowCommand.run(rest, out, err);
                case "diff" -> DiffCommand.run(rest, out, err);
                case "-h", "--help", "help" -> {
                    out.print(USAGE);
                    yield 0;
                }
                case "-v", "--version", "version" -> {
                    out.println(Version.tool());
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + cmd + "'");
            };
        } catch (UsageException e) {
            err.println(PREFIX + e.getMessage());
            boolean known = switch (cmd) {
                case "capture", "gather", "analyze", "checks", "ls", "show", "diff" -> true;
                default -> false;
            };
            err.println("Run 'eventbus audit " + (known ? cmd + " " : "") + "-h' for usage.");
            return 2;
        } catch (ArchiveException | IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            String reason = e.getReason() == null ? "no such file" : e.getReason();
            err.println(PREFIX + e.getFile() + ": " + reason);
            return 1;
        } catch (AccessDeniedException e) {
            err.println(PREFIX + e.getFile() + ": permission denied");
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println(PREFIX + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println(PREFIX + "internal error: " + e);
            if (System.getenv("EVENTBUS_AUDIT_DEBUG") != null) e.printStackTrace(err);
            return 1;
        }
    }
}

package io.github.djlflows.zoo.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flows} command-line tool: trains, samples, scores and draws flows, lists and
 * reproduces the zoo's artifacts. Run {@code ./flows --help}.
 */
@Command(
        name = "flows",
        mixinStandardHelpOptions = true,
        version = "DJL Flows 0.1.0",
        description = "Normalizing flows on DJL: train, sample, score, plot, and the model zoo.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            TrainCommand.class,
            SampleCommand.class,
            ScoreCommand.class,
            AnomaliesCommand.class,
            PlotCommand.class,
            ZooCommand.class,
            ReproduceCommand.class
        })
public final class FlowsCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Runs the tool.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the tool and returns its exit code (used by tests).
     *
     * @param args the command line
     * @return the exit code
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new FlowsCli());
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + message(e));
                    if (System.getenv("FLOWS_DEBUG") != null) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 2;
                });
        return cli.execute(args);
    }

    /**
     * An exception's message; a file-system error whose message is only the path (Java's {@code
     * NoSuchFileException}, {@code AccessDeniedException}, ...) gets what went wrong.
     */
    static String message(Throwable e) {
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() == null) {
            FileSystemException f = (FileSystemException) e;
            String what =
                    f instanceof NoSuchFileException
                            ? "no such file or directory"
                            : f instanceof AccessDeniedException
                                    ? "permission denied"
                                    : f instanceof FileAlreadyExistsException
                                            ? "exists already (a file where a directory was expected?)"
                                            : f.getClass().getSimpleName();
            return f.getMessage() + ": " + what;
        }
        return e.getMessage();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

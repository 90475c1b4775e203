package io.github.djlflows.zoo.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output files of the command line, {@code -} meaning standard output. */
final class Outputs {

    private Outputs() {}

    static boolean isStdout(Path out) {
        return out.toString().equals("-");
    }

    /**
     * Refuses an output file that is the input file: writing it would replace the user's data.
     *
     * @param out the output, or {@code -}
     * @param input the input, or {@code -}
     * @param flag the input's option, for the message
     */
    static void checkNotInput(Path out, Path input, String flag) throws IOException {
        if (!isStdout(out)
                && !isStdout(input)
                && Files.exists(out)
                && Files.exists(input)
                && Files.isSameFile(out, input)) {
            throw new IOException(
                    "--out "
                            + out.toAbsolutePath()
                            + " is the "
                            + flag
                            + " file; writing it would replace your data, expected another file");
        }
    }

    /**
     * A writer on the file (parent directories created) or on stdout, which closing leaves open.
     */
    static PrintWriter writer(Path out) throws IOException {
        if (isStdout(out)) {
            return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                @Override
                public void close() {
                    flush();
                }
            };
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
    }
}

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

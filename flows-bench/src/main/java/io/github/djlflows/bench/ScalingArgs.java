package io.github.djlflows.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link DataParallelScaling} and {@link HalfBatchCeiling}: family, dim, batch,
 * depth, rounds, window seconds and optionally the cases, comma-separated.
 */
final class ScalingArgs {

    /** Every case, in the order they run. */
    static final List<String> CASES = List.of("train", "logprob", "sample");

    final String family;
    final int dim;
    final int batch;
    final int depth;
    final int rounds;
    final long windowNanos;
    final List<String> cases;

    private ScalingArgs(String[] args) {
        family = args[0];
        dim = Integer.parseInt(args[1]);
        batch = Integer.parseInt(args[2]);
        depth = Integer.parseInt(args[3]);
        rounds = Integer.parseInt(args[4]);
        windowNanos = (long) (Double.parseDouble(args[5]) * 1e9);
        cases = args.length > 6 ? Arrays.asList(args[6].split(",")) : CASES;
    }

    /**
     * Parses a tool's arguments.
     *
     * @param tool the tool's name, for the usage message
     * @param args the arguments
     * @return the parsed arguments
     * @throws IllegalArgumentException for fewer than six arguments
     */
    static ScalingArgs parse(String tool, String[] args) {
        if (args.length < 6) {
            throw new IllegalArgumentException(
                    "usage: "
                            + tool
                            + " <family> <dim> <batch> <depth> <rounds> <window-s> [cases], got "
                            + args.length
                            + " arguments");
        }
        return new ScalingArgs(args);
    }
}

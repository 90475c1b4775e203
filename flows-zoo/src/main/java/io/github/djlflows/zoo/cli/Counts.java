package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.types.Shape;

/** Checks of the counts and numbers that come from the command line, before any native call. */
final class Counts {

    /** The most values (samples x values per sample) one command draws: 2^28 floats, 1 GiB. */
    static final long MAX_VALUES = 1L << 28;

    private Counts() {}

    static void checkSampleCount(String flag, long n, Shape eventShape) {
        if (n <= 0) {
            throw new IllegalArgumentException(
                    flag + " must be a positive number of samples, got " + n);
        }
        long size = eventShape.size();
        if (n > MAX_VALUES / size) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s %d is too many: %d samples x %d values exceed the limit of %d values per run;"
                                    + " expected at most %d samples",
                            flag, n, n, size, MAX_VALUES, MAX_VALUES / size));
        }
    }

    static void checkThreads(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException(
                    "--threads must be a positive number of worker threads, got " + threads);
        }
    }

    static void checkTemperature(double t) {
        if (!(t > 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException(
                    "--temperature must be a finite positive number, got " + t);
        }
    }
}

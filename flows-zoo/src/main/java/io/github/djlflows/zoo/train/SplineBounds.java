package io.github.djlflows.zoo.train;

import io.github.djlflows.core.elementwise.Standardize;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.csv.CsvTable;
import java.io.PrintStream;

/**
 * Warns when training data fall far outside a spline flow's bound B: outside [-B, B] a
 * rational-quadratic spline is the identity, so a column whose values mostly sit there is hardly
 * modelled (the symptom: huge NLLs that do not come down).
 */
final class SplineBounds {

    /** A column with more than this fraction of values beyond the bound is reported. */
    static final double FRACTION = 0.01;

    private SplineBounds() {}

    /**
     * Prints one warning line per column with too many values outside the bound, as the spline sees
     * them (after the standardisation, when there is one).
     *
     * @param config the config (only spline families are checked)
     * @param train the training rows
     * @param standardize the data-end standardisation, or null
     * @param log where warnings go
     * @return the number of columns reported
     */
    static int warn(FlowConfig config, CsvTable train, Standardize standardize, PrintStream log) {
        if (!config.family.startsWith("nsf")) {
            return 0;
        }
        double[] mean = standardize == null ? new double[train.width()] : standardize.getMean();
        double[] std = standardize == null ? ones(train.width()) : standardize.getStd();
        int reported = 0;
        for (int j = 0; j < train.width(); j++) {
            int outside = 0;
            double worst = 0;
            for (int i = 0; i < train.size(); i++) {
                double v = Math.abs((train.row(i)[j] - mean[j]) / std[j]);
                worst = Math.max(worst, v);
                if (v > config.bound) {
                    outside++;
                }
            }
            double fraction = (double) outside / train.size();
            if (fraction > FRACTION) {
                reported++;
                log.printf(
                        "warning: %.1f%% of column '%s' lies outside the spline bound %.3g (up to %.3g%s),"
                                + " where the spline is the identity; %s%n",
                        100 * fraction,
                        train.columns().get(j),
                        config.bound,
                        worst,
                        standardize == null ? "" : " standardised",
                        standardize == null
                                ? "drop --no-standardize or raise --bound"
                                : "raise --bound");
            }
        }
        return reported;
    }

    private static double[] ones(int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }
}

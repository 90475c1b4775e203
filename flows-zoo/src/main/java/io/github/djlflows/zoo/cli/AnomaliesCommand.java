package io.github.djlflows.zoo.cli;

import picocli.CommandLine.Command;

/** {@code flows anomalies}: {@code flows score} with {@code --flag-below 0.01} unless given. */
@Command(
        name = "anomalies",
        mixinStandardHelpOptions = true,
        description = {
            "Score rows and flag anomalies: 'flows score --flag-below 0.01' (the 1%% quantile of the training"
                    + " rows' log-densities, or of the held-out rows' for a zoo artifact) unless --flag-below"
                    + " says otherwise."
        })
final class AnomaliesCommand extends ScoreCommand {

    /** The default quantile level. */
    static final double DEFAULT_LEVEL = 0.01;

    @Override
    public Integer call() throws Exception {
        if (flagBelow == null) {
            flagBelow = DEFAULT_LEVEL;
        }
        return super.call();
    }
}

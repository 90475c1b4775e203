package io.github.djlflows.zoo.cli;

import java.nio.file.Path;

/** Scores rows with a model directory loaded from Java, as a user would. */
final class JavaLoading {

    private JavaLoading() {}

    static float[] scores(Path model, double[][] rows) throws Exception {
        try (LoadedFlow loaded = LoadedFlow.fromDirectory(model);
                ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            float[][] x = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                x[i] = new float[rows[i].length];
                for (int j = 0; j < rows[i].length; j++) {
                    x[i][j] = (float) rows[i][j];
                }
            }
            return loaded.flow.logProb(manager.create(x)).toFloatArray();
        }
    }
}

package io.github.djlflows.zoo.cli;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.nio.file.Path;

/** Scores rows with a model directory loaded from Java through DJL's Criteria, as a user would. */
final class JavaLoading {

    private JavaLoading() {}

    static float[] scores(Path model, double[][] rows) throws Exception {
        float[][] x = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            x[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                x[i][j] = (float) rows[i][j];
            }
        }
        Criteria<float[][], float[]> criteria =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optModelPath(model)
                        .optTranslatorFactory(new FlowTranslatorFactory())
                        .build();
        try (ZooModel<float[][], float[]> loaded = criteria.loadModel();
                Predictor<float[][], float[]> predictor = loaded.newPredictor()) {
            return predictor.predict(x);
        }
    }
}

package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import org.junit.jupiter.api.Test;

/** The zoo's translators, used through Criteria and Predictor only. */
class TranslatorsTest {

    @Test
    void seededSamplingRepeatsAndMatchesTheDensity() throws Exception {
        Criteria<Integer, float[][]> sampling =
                Criteria.builder()
                        .setTypes(Integer.class, float[][].class)
                        .optGroupId("io.github.djlflows")
                        .optArtifactId("realnvp")
                        .optFilter("dataset", "two-moons")
                        .optArgument("seed", "5")
                        .build();
        try (ZooModel<Integer, float[][]> model = sampling.loadModel();
                Predictor<Integer, float[][]> predictor = model.newPredictor()) {
            float[][] a = predictor.predict(500);
            float[][] b = predictor.predict(500);
            assertEquals(500, a.length);
            assertEquals(2, a[0].length);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], "seeded samples repeat");
            }
            try (ZooModel<float[][], float[]> scorer = ZooArtifactsTest.scorer("realnvp", "two-moons");
                    Predictor<float[][], float[]> score = scorer.newPredictor()) {
                double mean = 0;
                for (float v : score.predict(a)) {
                    mean += v / a.length;
                }
                // samples are typical: their mean log-density is near minus the held-out NLL (1.22)
                assertEquals(-1.22, mean, 0.15);
            }
        }
    }

    @Test
    void encodingIsTheLatentOfTheFlow() throws Exception {
        Criteria<float[][], float[][]> encoding =
                Criteria.builder()
                        .setTypes(float[][].class, float[][].class)
                        .optGroupId("io.github.djlflows")
                        .optArtifactId("maf")
                        .optFilter("dataset", "two-moons")
                        .optArgument("translator", "encode")
                        .build();
        try (ZooModel<float[][], float[][]> model = encoding.loadModel();
                Predictor<float[][], float[][]> predictor = model.newPredictor()) {
            float[][] z = predictor.predict(new float[][] {{0.1f, 0.2f}, {-1f, 0.5f}});
            assertEquals(2, z.length);
            assertEquals(2, z[0].length);
            assertTrue(Float.isFinite(z[1][1]));
        }
    }

    @Test
    void unsupportedTypesAndBadRowsAreNamed() throws Exception {
        Criteria<String, String> wrong =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optGroupId("io.github.djlflows")
                        .optArtifactId("realnvp")
                        .build();
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class, wrong::loadModel);
        String message = e.getMessage() + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(message.contains("String -> String") || message.contains("No model"), message);
        try (ZooModel<float[][], float[]> scorer = ZooArtifactsTest.scorer("realnvp", "two-moons");
                Predictor<float[][], float[]> score = scorer.newPredictor()) {
            Exception bad = assertThrows(Exception.class, () -> score.predict(new float[][] {{1f, 2f, 3f}}));
            String text = String.valueOf(bad.getMessage()) + (bad.getCause() == null ? "" : bad.getCause().getMessage());
            assertTrue(text.contains("expected 2"), text);
        }
    }
}

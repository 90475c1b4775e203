package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.zoo.translate.SampleRequest;
import org.junit.jupiter.api.Test;

/** The zoo's translators, used through Criteria and Predictor only. */
class TranslatorsTest {

    static Criteria<Integer, float[][]> sampling(String seed) {
        Criteria.Builder<Integer, float[][]> b =
                Criteria.builder()
                        .setTypes(Integer.class, float[][].class)
                        .optGroupId("io.github.djlflows")
                        .optArtifactId("realnvp")
                        .optFilter("dataset", "two-moons");
        return seed == null ? b.build() : b.optArgument("seed", seed).build();
    }

    static boolean same(float[][] a, float[][] b) {
        return java.util.Arrays.deepEquals(a, b);
    }

    @Test
    void samplingSeedsArePerCall() throws Exception {
        try (ZooModel<Integer, float[][]> unseeded = sampling(null).loadModel();
                Predictor<Integer, float[][]> p = unseeded.newPredictor()) {
            assertTrue(!same(p.predict(50), p.predict(50)), "no seed: calls differ");
        }
        float[][] first;
        try (ZooModel<Integer, float[][]> seeded = sampling("5").loadModel();
                Predictor<Integer, float[][]> p = seeded.newPredictor()) {
            first = p.predict(50);
            assertTrue(!same(first, p.predict(50)), "a seeded translator's calls differ");
        }
        try (ZooModel<Integer, float[][]> again = sampling("5").loadModel();
                Predictor<Integer, float[][]> p = again.newPredictor()) {
            assertTrue(same(first, p.predict(50)), "the same seed repeats the same sequence");
        }
        try (ZooModel<Integer, float[][]> next = sampling("6").loadModel();
                Predictor<Integer, float[][]> p = next.newPredictor()) {
            assertTrue(!same(first, p.predict(50)), "seeds 5 and 6 differ");
        }
        Criteria<SampleRequest, float[][]> perCall =
                Criteria.builder()
                        .setTypes(SampleRequest.class, float[][].class)
                        .optGroupId("io.github.djlflows")
                        .optArtifactId("realnvp")
                        .optFilter("dataset", "two-moons")
                        .build();
        try (ZooModel<SampleRequest, float[][]> model = perCall.loadModel();
                Predictor<SampleRequest, float[][]> p = model.newPredictor()) {
            float[][] a = p.predict(new SampleRequest(500, 17L));
            assertTrue(same(a, p.predict(new SampleRequest(500, 17L))), "same seed repeats");
            assertTrue(!same(a, p.predict(new SampleRequest(500, 18L))), "s and s + 1 differ");
            assertTrue(
                    !same(
                            p.predict(new SampleRequest(20, null)),
                            p.predict(new SampleRequest(20, null))));
            assertEquals(500, a.length);
            assertEquals(2, a[0].length);
            try (ZooModel<float[][], float[]> scorer =
                            ZooArtifactsTest.scorer("realnvp", "two-moons");
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
            Exception bad =
                    assertThrows(
                            Exception.class, () -> score.predict(new float[][] {{1f, 2f, 3f}}));
            String text =
                    String.valueOf(bad.getMessage())
                            + (bad.getCause() == null ? "" : bad.getCause().getMessage());
            assertTrue(text.contains("expected 2"), text);
        }
    }
}

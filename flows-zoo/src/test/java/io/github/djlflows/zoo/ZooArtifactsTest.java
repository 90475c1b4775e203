package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.translate.Rows;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every shipped artifact loads through DJL {@link Criteria} alone and reproduces its recorded
 * held-out metric; 2-D densities are normalised and meet the quality floor.
 */
class ZooArtifactsTest {

    /** The artifact names, read from the zoo's index resource (no project class involved). */
    static List<String[]> artifacts() throws Exception {
        List<String[]> list = new ArrayList<>();
        try (InputStream in =
                        ZooArtifactsTest.class
                                .getClassLoader()
                                .getResourceAsStream("io/github/djlflows/zoo/artifacts/index.txt");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    list.add(line.trim().split("/"));
                }
            }
        }
        return list;
    }

    static ZooModel<float[][], float[]> scorer(String artifactId, String dataset) throws Exception {
        return Criteria.builder()
                .setTypes(float[][].class, float[].class)
                .optGroupId("io.github.djlflows")
                .optArtifactId(artifactId)
                .optFilter("dataset", dataset)
                .build()
                .loadModel();
    }

    @Test
    void zooIsFoundByServiceLoader() {
        assertTrue(ModelZoo.hasModelZoo("io.github.djlflows"));
    }

    /**
     * An artifact whose latent tails were added after training (its notes say so) records it in its
     * config, so that {@code flows reproduce} trains it the way it was trained.
     */
    @Test
    void tailsAddedAfterTrainingAreRecordedInTheConfig() throws Exception {
        for (String[] a : artifacts()) {
            ZooArtifact artifact = new ZooArtifact(a[0], a[1]);
            String notes = artifact.metrics().notes;
            boolean added =
                    notes != null
                            && notes.contains("added on")
                            && notes.contains("without retraining");
            assertEquals(
                    added,
                    artifact.config().latentTailsAfterTraining,
                    a[0] + "/" + a[1] + ": latentTailsAfterTraining against its notes");
        }
    }

    @Test
    void everyArtifactReproducesItsRecordedMetric() throws Exception {
        List<String[]> list = artifacts();
        assertFalse(list.isEmpty(), "the zoo ships no artifact");
        double bestMoons = Double.POSITIVE_INFINITY;
        for (String[] a : list) {
            ZooArtifact artifact = new ZooArtifact(a[0], a[1]);
            FlowConfig config = artifact.config();
            FlowMetrics recorded = artifact.metrics();
            try (ZooModel<float[][], float[]> model = scorer(a[0], a[1]);
                    Predictor<float[][], float[]> predictor = model.newPredictor();
                    NDManager manager = NDManager.newBaseManager()) {
                NDArray heldOut = FlowData.heldOut(config, manager);
                float[][] rows = Rows.toRows(heldOut);
                double sum = 0;
                int chunk = 500;
                for (int start = 0; start < rows.length; start += chunk) {
                    float[][] part =
                            java.util.Arrays.copyOfRange(
                                    rows, start, Math.min(rows.length, start + chunk));
                    for (float v : predictor.predict(part)) {
                        sum += v;
                    }
                }
                double nll = -sum / rows.length;
                if ("bits_per_dim".equals(recorded.metric)) {
                    nll = FlowData.bitsPerDim(config, nll);
                    if (a[0].startsWith("glow") && "fashion-mnist".equals(a[1])) {
                        assertTrue(nll <= 3.20, "Fashion-MNIST Glow bits/dim " + nll);
                    }
                    // any image model worth shipping beats 8-bit storage by a wide margin
                    assertTrue(nll < 5, a[0] + "/" + a[1] + " bits/dim " + nll);
                }
                System.out.printf(
                        "%s/%s: held-out %.4f (recorded %.4f)%n", a[0], a[1], nll, recorded.value);
                assertEquals(recorded.value, nll, 0.01, a[0] + "/" + a[1] + " held-out metric");
                if (recorded.uniformBound != null) {
                    double bound =
                            FlowData.bitsPerDim(
                                    config,
                                    io.github.djlflows.zoo.train.HeldOut.uniformBound(
                                            (NormalizingFlow) model.getBlock(),
                                            heldOut,
                                            config.heldOutSeed));
                    System.out.printf(
                            "%s/%s: uniform-dequantization bound %.4f (recorded %.4f)%n",
                            a[0], a[1], bound, recorded.uniformBound);
                    assertEquals(recorded.uniformBound, bound, 0.01, a[0] + "/" + a[1] + " bound");
                }
                if (config.eventShape.length == 1 && config.eventShape[0] == 2) {
                    double mass = gridMass(predictor);
                    assertEquals(1.0, mass, 0.01, a[0] + "/" + a[1] + " density mass on a grid");
                    if ("two-moons".equals(a[1])) {
                        bestMoons = Math.min(bestMoons, nll);
                    }
                }
            }
        }
        System.out.printf("best two-moons artifact: %.4f nats%n", bestMoons);
        assertTrue(bestMoons <= 1.20, "best two-moons artifact " + bestMoons + " nats");
    }

    static double gridMass(Predictor<float[][], float[]> predictor) throws Exception {
        int n = 300;
        double lo = -6;
        double step = 12.0 / n;
        float[][] grid = new float[n * n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grid[i * n + j][0] = (float) (lo + (i + 0.5) * step);
                grid[i * n + j][1] = (float) (lo + (j + 0.5) * step);
            }
        }
        double mass = 0;
        for (float v : predictor.predict(grid)) {
            mass += Math.exp(v);
        }
        return mass * step * step;
    }
}

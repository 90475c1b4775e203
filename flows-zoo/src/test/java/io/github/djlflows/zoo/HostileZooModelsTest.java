package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.bijection.AffineBijection;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The shipped models off their data: far points cost a Gaussian tail, not 1e14 nats, and the image
 * model's own samples have a finite density equal to the one returned with them.
 */
class HostileZooModelsTest {

    static ZooModel<NDList, NDList> load(String artifactId, String dataset) throws Exception {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optGroupId(FlowsModelZoo.GROUP_ID)
                .optArtifactId(artifactId)
                .optFilter("dataset", dataset)
                .build()
                .loadModel();
    }

    @Test
    void farPointsOnTwoMoonsCostAGaussianTail() throws Exception {
        double[][] points = {{5, 5}, {1000, 0}, {0, -1000}};
        for (String family : new String[] {"realnvp", "maf", "nsf"}) {
            FlowConfig config = new ZooArtifact(family, "two-moons").config();
            try (ZooModel<NDList, NDList> model = load(family, "two-moons");
                    NDManager m = NDManager.newBaseManager()) {
                NormalizingFlow flow = (NormalizingFlow) model.getBlock();
                float[][] rows = new float[points.length][];
                for (int i = 0; i < points.length; i++) {
                    rows[i] = new float[] {(float) points[i][0], (float) points[i][1]};
                }
                float[] logProb = flow.logProb(m.create(rows)).toFloatArray();
                System.out.printf("%s/two-moons far log p: %s%n", family, Arrays.toString(logProb));
                // per layer a coordinate moves at most L (exp(B) - 1) + R beyond slope 1 (affine,
                // B = 3; a spline moves less), and each log-det is at most B per feature
                double step =
                        AffineBijection.TAIL_BOUND * (Math.exp(3) - 1)
                                + AffineBijection.PARAMETER_RANGE;
                for (int i = 0; i < points.length; i++) {
                    double worst = 0;
                    for (double c : points[i]) {
                        double far = Math.abs(c) + config.layers * step;
                        worst += far * far / 2;
                    }
                    double floor = -worst - Math.log(2 * Math.PI) - config.layers * 2 * 3;
                    assertTrue(
                            Float.isFinite(logProb[i]) && logProb[i] >= floor,
                            family
                                    + " log p at "
                                    + Arrays.toString(points[i])
                                    + " = "
                                    + logProb[i]
                                    + ", expected at least "
                                    + floor);
                }
            }
        }
    }

    @Test
    void glowSamplesHaveAFiniteDensityEqualToTheReturnedOne() throws Exception {
        try (ZooModel<NDList, NDList> model = load("glow", "fashion-mnist");
                NDManager m = NDManager.newBaseManager()) {
            NormalizingFlow flow = (NormalizingFlow) model.getBlock();
            Engine.getInstance().setRandomSeed(16);
            int finite = 0;
            int total = 0;
            int within = 0;
            double worstRelative = 0;
            double worst = 0;
            for (int batch = 0; batch < 20; batch++) {
                try (NDManager scope = m.newSubManager()) {
                    NDList drawn = flow.sampleWithLogProb(scope, 500);
                    float[] returned = drawn.get(1).toFloatArray();
                    float[] again = flow.logProb(drawn.get(0)).toFloatArray();
                    for (int i = 0; i < returned.length; i++) {
                        total++;
                        if (Float.isFinite(returned[i]) && Float.isFinite(again[i])) {
                            finite++;
                        }
                        double diff = Math.abs(again[i] - returned[i]);
                        worst = Math.max(worst, diff);
                        worstRelative = Math.max(worstRelative, diff / Math.abs(returned[i]));
                        within += diff <= 1e-3 ? 1 : 0;
                    }
                }
            }
            System.out.printf(
                    "glow/fashion-mnist: %d of %d samples finite, %d within 1e-3 nats, max |diff| %.4g"
                            + " nats (relative %.3g)%n",
                    finite, total, within, worst, worstRelative);
            assertEquals(total, finite, "samples with a finite log-density");
            // float32: log-densities of about -2500 are sums of terms of up to 4400 nats (the
            // dequantization's D ln 256) whose unit in the last place is 5e-4
            assertTrue(
                    worstRelative <= 1e-4,
                    "max relative |logProb(sample) - returned| " + worstRelative);
        }
    }
}

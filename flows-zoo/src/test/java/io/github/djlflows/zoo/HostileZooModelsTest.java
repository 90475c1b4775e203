package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import org.junit.jupiter.api.Test;

/**
 * The shipped image model's own samples have a finite density equal to the one returned with them.
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

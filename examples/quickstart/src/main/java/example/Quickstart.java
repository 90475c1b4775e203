package example;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.train.FlowDatasets;
import io.github.djlflows.core.train.FusedAdam;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.nio.file.Path;
import java.util.Arrays;

/** The README's quick start: train RealNVP on two moons, save, load back, and use a zoo model. */
public final class Quickstart {

    private Quickstart() {}

    /**
     * Runs the quick start.
     *
     * @param args optional: the model directory to write (default target/moons)
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/moons");
        float[][] points = new float[3][];

        // 1. train (flows-core)
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("moons")) {
            NDArray data = ToyDensity.TWO_MOONS.sample(manager, 20_000, 1L);
            NormalizingFlow flow = NormalizingFlow.builder()
                    .setFlow(RealNvp.builder().setDimension(2).optCouplings(6).build())
                    .setBase(new StandardNormal(new Shape(2)))
                    .build();
            model.setBlock(flow);
            DefaultTrainingConfig config = new DefaultTrainingConfig(new NegativeLogLikelihood())
                    .optOptimizer(FusedAdam.builder().optLearningRateTracker(Tracker.fixed(2e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(256, 2));
                EasyTrain.fit(trainer, 10, FlowDatasets.unlabeled(data, 256, true), null);
            }
            NDArray firstRows = data.get("0:3");
            for (int i = 0; i < 3; i++) {
                points[i] = firstRows.get(i).toFloatArray();
            }
            NDArray logProb = flow.logProb(firstRows);           // (3) log-densities in nats
            NDArray samples = flow.sample(manager, 1000);          // (1000, 2)
            System.out.println("trained log p: " + Arrays.toString(logProb.toFloatArray()));
            System.out.println("samples: " + samples.getShape());

            // 2. save as a model directory (flows-zoo): the config names the architecture above
            FlowConfig architecture = new FlowConfig();
            architecture.family = "realnvp";
            architecture.layers = 6;
            ModelDirectory.save(model, architecture, null, dir);
        }

        // 3. load it back with DJL's Criteria
        Criteria<float[][], float[]> saved = Criteria.builder()
                .setTypes(float[][].class, float[].class)
                .optModelPath(dir)
                .optTranslatorFactory(new FlowTranslatorFactory())
                .build();
        try (ZooModel<float[][], float[]> model = saved.loadModel();
                Predictor<float[][], float[]> predictor = model.newPredictor()) {
            System.out.println("loaded log p:  " + Arrays.toString(predictor.predict(points)));
        }

        // 4. a pretrained model from the zoo (inside the flows-zoo jar, offline)
        Criteria<float[][], float[]> zoo = Criteria.builder()
                .setTypes(float[][].class, float[].class)
                .optGroupId("io.github.djlflows")
                .optArtifactId("maf")
                .optFilter("dataset", "two-moons")
                .build();
        try (ZooModel<float[][], float[]> model = zoo.loadModel();
                Predictor<float[][], float[]> predictor = model.newPredictor()) {
            System.out.println("zoo maf/two-moons log p: " + Arrays.toString(predictor.predict(points)));
        }
    }
}

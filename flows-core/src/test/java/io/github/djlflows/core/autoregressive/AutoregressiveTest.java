package io.github.djlflows.core.autoregressive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.bijection.AdditiveBijection;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.elementwise.ReversePermutation;
import io.github.djlflows.core.flows.Maf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MADE's autoregressive property, MAF/IAF duality and the cost of IAF sampling. */
class AutoregressiveTest {

    private static final double STEP = 1e-5;

    private NDManager manager;

    @BeforeEach
    void open() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static Made.Builder made(int dimension) {
        return Made.builder().setDimension(dimension).optHiddenSizes(16, 16);
    }

    /** Initializes in float64 and moves every trainable parameter away from zero. */
    private void initialize(Block block, Shape... shapes) {
        block.initialize(manager, DataType.FLOAT64, shapes);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().requiresGradient()) {
                array.addi(manager.randomNormal(0, 0.3f, array.getShape(), DataType.FLOAT64));
            }
        }
    }

    private NDArray normal(long... shape) {
        return manager.randomNormal(0, 1, new Shape(shape), DataType.FLOAT64);
    }

    private static NDList in(NDArray x, NDArray context) {
        return context == null ? new NDList(x) : new NDList(x, context);
    }

    /** Central-difference Jacobian dz/dx of one sample: jacobian[i][j] = dz_i / dx_j. */
    private double[][] jacobian(FlowBlock block, NDArray x, NDArray context) {
        ParameterStore ps = new ParameterStore(manager, false);
        int dim = Math.toIntExact(x.getShape().get(1));
        double[][] jac = new double[dim][dim];
        for (int j = 0; j < dim; j++) {
            double[] basis = new double[dim];
            basis[j] = STEP;
            NDArray e = manager.create(basis).reshape(1, dim);
            double[] plus = block.forward(ps, in(x.add(e), context), false).get(0).toDoubleArray();
            double[] minus = block.forward(ps, in(x.sub(e), context), false).get(0).toDoubleArray();
            for (int i = 0; i < dim; i++) {
                jac[i][j] = (plus[i] - minus[i]) / (2 * STEP);
            }
        }
        return jac;
    }

    private void assertTriangularInOrder(Made.Builder config, long contextSize) {
        MaskedAutoregressiveFlow maf =
                MaskedAutoregressiveFlow.builder().setConditioner(config).build();
        int dim = maf.getConditioner().getDimension();
        NDArray x = normal(1, dim);
        NDArray context = contextSize > 0 ? normal(1, contextSize) : null;
        if (context == null) {
            initialize(maf, x.getShape());
        } else {
            initialize(maf, x.getShape(), context.getShape());
        }
        int[] order = maf.getConditioner().getOrder();
        double[][] jac = jacobian(maf, x, context);
        int below = 0;
        for (int k = 0; k < dim; k++) {
            assertNotEquals(0.0, jac[order[k]][order[k]], "diagonal entry of feature " + order[k]);
            for (int m = 0; m < dim; m++) {
                double entry = jac[order[k]][order[m]];
                if (m > k) {
                    assertEquals(
                            0.0,
                            entry,
                            "z_"
                                    + order[k]
                                    + " must not depend on x_"
                                    + order[m]
                                    + " (later in the order)");
                } else if (m < k && entry != 0.0) {
                    below++;
                }
            }
        }
        assertTrue(below > 0, "no feature depends on an earlier one: the conditioner is cut off");
    }

    @Test
    void jacobianIsTriangularInTheOrdering() {
        assertTriangularInOrder(made(5), 0);
        assertTriangularInOrder(made(6).optOrdering(Ordering.REVERSED), 0);
        for (long seed = 1; seed <= 3; seed++) {
            assertTriangularInOrder(made(6).optOrdering(Ordering.RANDOM).optSeed(seed), 0);
        }
        assertTriangularInOrder(
                made(5).optOrdering(Ordering.RANDOM)
                        .optSeed(11)
                        .optResidualBlocks(2)
                        .optContextSize(3),
                3);
    }

    @Test
    void madeOutputsAreParameterMajorAndMasked() {
        int dim = 5;
        int count = 3;
        Made made =
                made(dim).setParameterCount(count).optOrdering(Ordering.RANDOM).optSeed(8).build();
        NDArray x = normal(1, dim);
        initialize(made, x.getShape());
        ParameterStore ps = new ParameterStore(manager, false);
        double[] base = made.forward(ps, new NDList(x), false).singletonOrThrow().toDoubleArray();
        assertEquals(count * dim, base.length);
        int[] order = made.getOrder();
        int[] rank = new int[dim];
        for (int k = 0; k < dim; k++) {
            rank[order[k]] = k;
        }
        int seen = 0;
        for (int j = 0; j < dim; j++) {
            double[] basis = new double[dim];
            basis[j] = 0.5;
            double[] moved =
                    made.forward(
                                    ps,
                                    new NDList(x.add(manager.create(basis).reshape(1, dim))),
                                    false)
                            .singletonOrThrow()
                            .toDoubleArray();
            for (int p = 0; p < count; p++) {
                for (int d = 0; d < dim; d++) {
                    boolean changed = moved[p * dim + d] != base[p * dim + d];
                    if (rank[j] >= rank[d]) {
                        assertTrue(
                                !changed,
                                "unit "
                                        + (p * dim + d)
                                        + " (param "
                                        + p
                                        + " of x_"
                                        + d
                                        + ") must not see x_"
                                        + j);
                    } else if (changed) {
                        seen++;
                    }
                }
            }
        }
        assertTrue(seen > 0, "no output depends on any input: the MADE is cut off");
    }

    @Test
    void randomOrderingIsSeededPermutation() {
        int[] a = Ordering.RANDOM.order(10, 5);
        assertArrayEquals(a, Ordering.RANDOM.order(10, 5), "same seed, same order");
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(Ordering.NATURAL.order(10, 0), sorted, "a permutation of 0..9");
    }

    @Test
    void newLayerIsTheIdentity() {
        MaskedAutoregressiveFlow maf =
                MaskedAutoregressiveFlow.builder().setConditioner(made(4)).build();
        NDArray x = normal(3, 4);
        maf.initialize(manager, DataType.FLOAT64, x.getShape());
        NDList out = maf.forward(new ParameterStore(manager, false), new NDList(x), false);
        assertArrayEquals(x.toDoubleArray(), out.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[3], out.get(1).toDoubleArray(), 0.0);
    }

    @Test
    void iafWithMafWeightsIsItsExactInverse() throws Exception {
        Made.Builder config = made(5).optOrdering(Ordering.RANDOM).optSeed(4);
        MaskedAutoregressiveFlow maf =
                MaskedAutoregressiveFlow.builder().setConditioner(config).build();
        InverseAutoregressiveFlow iaf =
                InverseAutoregressiveFlow.builder()
                        .setConditioner(made(5).optOrdering(Ordering.RANDOM).optSeed(4))
                        .build();
        NDArray x = normal(6, 5);
        initialize(maf, x.getShape());
        initialize(iaf, x.getShape()); // different random weights until the copy below
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        maf.saveParameters(new DataOutputStream(bytes));
        iaf.getMaskedAutoregressiveFlow()
                .loadParameters(
                        manager,
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        ParameterStore ps = new ParameterStore(manager, false);
        NDList z = maf.forward(ps, new NDList(x), false);
        NDList back = iaf.forward(ps, new NDList(z.get(0)), false); // IAF density: D passes
        assertTrue(back.get(0).sub(x).abs().max().getDouble() < 1e-10, "IAF(MAF(x)) != x");
        assertTrue(
                back.get(1).add(z.get(1)).abs().max().getDouble() < 1e-10,
                "log-dets do not cancel");
        NDList sampled = iaf.inverse(ps, new NDList(x)); // IAF sampling: one pass = MAF forward
        assertArrayEquals(z.get(0).toDoubleArray(), sampled.get(0).toDoubleArray(), 0.0);
        assertArrayEquals(z.get(1).toDoubleArray(), sampled.get(1).toDoubleArray(), 0.0);
    }

    /** A MADE that counts its passes. */
    static final class CountingMade extends Made {

        private final AtomicInteger passes;

        CountingMade(Made.Builder builder, AtomicInteger passes) {
            super(builder);
            this.passes = passes;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                ai.djl.util.PairList<String, Object> p) {
            passes.incrementAndGet();
            return super.forwardInternal(ps, inputs, training, p);
        }
    }

    @Test
    void iafSampleWithLogProbIsOnePassPerLayerAndExact() {
        int dim = 4;
        int layers = 3;
        AtomicInteger passes = new AtomicInteger();
        List<FlowBlock> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Made counting = new CountingMade(made(dim).setParameterCount(2), passes);
            blocks.add(InverseAutoregressiveFlow.builder().setConditioner(counting).build());
            blocks.add(new ReversePermutation());
        }
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(new FlowSequence(blocks))
                        .setBase(new StandardNormal(new Shape(dim)))
                        .build();
        initialize(flow, new Shape(8, dim));

        passes.set(0);
        NDList drawn = flow.sampleWithLogProb(manager, 64);
        assertEquals(
                layers, passes.get(), "sampleWithLogProb must make one MADE pass per IAF layer");

        passes.set(0);
        NDArray logProb = flow.logProb(drawn.get(0));
        assertEquals(layers * dim, passes.get(), "IAF density takes D passes per layer");
        double err = logProb.sub(drawn.get(1)).abs().max().getDouble();
        assertTrue(err <= 1e-4, "sampleWithLogProb's log p differs from logProb by " + err);
    }

    @Test
    void genericStructureTakesAnyBijection() {
        AutoregressiveFlow additive =
                AutoregressiveFlow.builder(new AdditiveBijection()).setConditioner(made(3)).build();
        assertEquals(1, additive.getConditioner().getParameterCount());
        NDArray x = normal(4, 3);
        initialize(additive, x.getShape());
        ParameterStore ps = new ParameterStore(manager, false);
        NDList z = additive.forward(ps, new NDList(x), false);
        NDArray back = additive.inverse(ps, new NDList(z.get(0))).get(0);
        assertTrue(back.sub(x).abs().max().getDouble() < 1e-12);
        assertArrayEquals(
                new double[4], z.get(1).toDoubleArray(), 0.0, "additive is volume preserving");
    }

    @Test
    void loadTakesTheCheckpointOrdering() throws Exception {
        MaskedAutoregressiveFlow saved =
                MaskedAutoregressiveFlow.builder()
                        .setConditioner(made(5).optOrdering(Ordering.RANDOM).optSeed(1))
                        .build();
        NDArray x = normal(3, 5);
        initialize(saved, x.getShape());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        saved.saveParameters(new DataOutputStream(bytes));
        MaskedAutoregressiveFlow loaded =
                MaskedAutoregressiveFlow.builder()
                        .setConditioner(made(5).optOrdering(Ordering.RANDOM).optSeed(2))
                        .build();
        loaded.loadParameters(
                manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(saved.getConditioner().getOrder(), loaded.getConditioner().getOrder());
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray z = loaded.forward(ps, new NDList(x), false).get(0);
        assertArrayEquals(
                saved.forward(ps, new NDList(x), false).get(0).toDoubleArray(),
                z.toDoubleArray(),
                0.0);
        NDArray back = loaded.inverse(ps, new NDList(z)).get(0);
        assertTrue(back.sub(x).abs().max().getDouble() < 1e-10, "inverse after load");
    }

    @Test
    void badConfigurationsNameExpectedAndActual() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Made.builder().setParameterCount(2).build());
        assertTrue(
                e.getMessage().contains("dimension") && e.getMessage().contains("0"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> made(3).setParameterCount(2).optHiddenSizes(8, 0).build());
        assertTrue(e.getMessage().contains("positive, got 0"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MaskedAutoregressiveFlow.builder().build());
        assertTrue(e.getMessage().contains("setConditioner"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MaskedAutoregressiveFlow.builder()
                                        .setConditioner(made(3).setParameterCount(3).build())
                                        .build());
        assertTrue(
                e.getMessage().contains("2 parameters") && e.getMessage().contains("3"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MaskedAutoregressiveFlow.builder()
                                        .setConditioner(made(3))
                                        .optScaleBound(0)
                                        .build());
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        MaskedAutoregressiveFlow maf =
                MaskedAutoregressiveFlow.builder().setConditioner(made(3)).build();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> maf.initialize(manager, DataType.FLOAT64, new Shape(2, 4)));
        assertTrue(
                e.getMessage().contains("(batch, 3)") && e.getMessage().contains("(2, 4)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Maf.builder().build());
        assertTrue(e.getMessage().contains("setDimension"), e.getMessage());
    }
}

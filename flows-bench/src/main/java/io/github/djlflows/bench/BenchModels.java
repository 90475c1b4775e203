package io.github.djlflows.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.RealNvp;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.nn.Conditioners;
import java.util.ArrayList;
import java.util.List;

/**
 * The models the benchmarks time, one factory method per flow family, plus the bare conditioner
 * networks of each family (the "limit": work the flow cannot avoid).
 *
 * <p>Adding a family is one factory method, one {@code case} in {@link #flow} and {@link
 * #conditioners}, and its name in the {@code family} {@code @Param} list of {@link
 * TrainerBenchmark}. The PyTorch peer ({@code peer/torch_flows.py}) must build
 * the same architecture under the same name.
 *
 * <pre>{@code
 * NormalizingFlow flow = BenchModels.flow("realnvp", 64, 8);
 * }</pre>
 */
public final class BenchModels {

    /** Hidden widths of every conditioner MLP. */
    public static final int[] HIDDEN = {64, 64};

    /** Bound B of the soft-clamped log-scale {@code s = B tanh(raw / B)}. */
    public static final double SCALE_BOUND = 3.0;

    /** Adam's learning rate (betas 0.9 / 0.999, epsilon 1e-8: DJL's defaults). */
    public static final float LEARNING_RATE = 1e-3f;

    private BenchModels() {}

    /**
     * Builds a flow of the named family.
     *
     * @param family the family name, e.g. {@code realnvp}
     * @param dim the number of features
     * @param depth the number of layers (couplings for RealNVP)
     * @return the model, not yet initialized
     */
    public static NormalizingFlow flow(String family, int dim, int depth) {
        switch (family) {
            case "realnvp":
                return realNvp(dim, depth);
            default:
                throw new IllegalArgumentException("unknown flow family " + family);
        }
    }

    /**
     * The conditioner networks of a family's flow, side by side: each gets the same (batch, dim)
     * input; the block returns the sum over networks of the mean of their outputs (a scalar
     * loss, so one backward pass reaches every network).
     *
     * @param family the family name
     * @param dim the number of features
     * @param depth the number of layers
     * @return the networks as one block
     */
    public static Block conditioners(String family, int dim, int depth) {
        List<Block> nets = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            switch (family) {
                case "realnvp":
                    // AffineCoupling's default: full-width masked input, 2 parameters per feature.
                    nets.add(Conditioners.mlp(2L * dim, HIDDEN));
                    break;
                default:
                    throw new IllegalArgumentException("unknown flow family " + family);
            }
        }
        return new ParallelBlock(
                outputs -> {
                    NDList loss = null;
                    for (NDList out : outputs) {
                        NDList mean = new NDList(out.singletonOrThrow().mean());
                        loss = loss == null ? mean : new NDList(loss.head().add(mean.head()));
                    }
                    return loss;
                },
                nets);
    }

    /**
     * RealNVP: {@code depth} affine couplings with alternating HALF masks, MLP conditioners of
     * widths {@link #HIDDEN}, soft clamp {@link #SCALE_BOUND}, standard normal base.
     *
     * @param dim the number of features
     * @param depth the number of couplings
     * @return the model
     */
    public static NormalizingFlow realNvp(int dim, int depth) {
        return NormalizingFlow.builder()
                .setFlow(
                        RealNvp.builder()
                                .setDimension(dim)
                                .optCouplings(depth)
                                .optHiddenSizes(HIDDEN)
                                .optScaleBound(SCALE_BOUND)
                                .build())
                .setBase(new StandardNormal(new Shape(dim)))
                .build();
    }
}

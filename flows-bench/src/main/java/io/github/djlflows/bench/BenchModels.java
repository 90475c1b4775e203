package io.github.djlflows.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.autoregressive.Made;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.flows.Iaf;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.Nsf;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.nn.Conditioners;
import java.util.ArrayList;
import java.util.List;

/**
 * The models the benchmarks time, one factory method per flow family, plus the bare conditioner
 * networks of each family (the "limit": work the flow cannot avoid).
 *
 * <p>Adding a family is one factory method, one {@code case} in {@link #flow} and {@link
 * #conditioners}, and its name in the {@code family} {@code @Param} list of {@link
 * TrainerBenchmark}. The PyTorch peer ({@code peer/peerflows}, run by {@code peer/torch_flows.py})
 * must build the same architecture under the same name.
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

    /** Spline bins K of NSF (3K - 1 conditioner outputs per feature). */
    public static final int NSF_BINS = 8;

    /** The image shape (C, H, W) of the {@code glow} family; its {@code dim} is ignored. */
    public static final Shape GLOW_IMAGE = new Shape(1, 28, 28);

    /** Glow's levels L; {@code depth} is its steps K per level. */
    public static final int GLOW_LEVELS = 2;

    /** Adam's learning rate (betas 0.9 / 0.999, epsilon 1e-8: DJL's defaults). */
    public static final float LEARNING_RATE = 1e-3f;

    private BenchModels() {}

    /**
     * Builds a flow of the named family.
     *
     * <ul>
     *   <li>{@code realnvp}: {@code depth} affine couplings, see {@link #realNvp}
     *   <li>{@code maf}, {@code iaf}: {@code depth} MADE layers (hidden {@link #HIDDEN}, soft clamp
     *       {@link #SCALE_BOUND}, natural order, reversed between layers), no batch norm
     *   <li>{@code nsf}: {@code depth} rational-quadratic spline couplings ({@link #NSF_BINS} bins
     *       on [-3, 3], hidden {@link #HIDDEN}), reversed between couplings
     *   <li>{@code glow}: Glow on {@link #GLOW_IMAGE} images, {@link #GLOW_LEVELS} levels of {@code
     *       depth} steps, {@code HIDDEN[0]} hidden channels; {@code dim} is ignored
     * </ul>
     *
     * @param family the family name, e.g. {@code realnvp}
     * @param dim the number of features
     * @param depth the number of layers (couplings for RealNVP, steps per level for Glow)
     * @return the model, not yet initialized
     */
    public static NormalizingFlow flow(String family, int dim, int depth) {
        switch (family) {
            case "realnvp":
                return realNvp(dim, depth);
            case "maf":
                return withBase(
                        Maf.builder()
                                .setDimension(dim)
                                .optLayers(depth)
                                .optHiddenSizes(HIDDEN)
                                .optScaleBound(SCALE_BOUND)
                                .build(),
                        new Shape(dim));
            case "iaf":
                return withBase(
                        Iaf.builder()
                                .setDimension(dim)
                                .optLayers(depth)
                                .optHiddenSizes(HIDDEN)
                                .optScaleBound(SCALE_BOUND)
                                .build(),
                        new Shape(dim));
            case "nsf":
                return withBase(
                        Nsf.builder()
                                .setDimension(dim)
                                .optTransforms(depth)
                                .optBins(NSF_BINS)
                                .optHiddenSizes(HIDDEN)
                                .build(),
                        new Shape(dim));
            case "glow":
                return withBase(
                        Glow.builder()
                                .setInputShape(GLOW_IMAGE)
                                .optLevels(GLOW_LEVELS)
                                .optSteps(depth)
                                .optHiddenChannels(HIDDEN[0])
                                .build(),
                        GLOW_IMAGE);
            default:
                throw new IllegalArgumentException("unknown flow family " + family);
        }
    }

    /**
     * The shape of one batch of a family's data: (batch, C, H, W) for {@code glow}, else (batch,
     * dim).
     *
     * @param family the family name
     * @param batch the batch size
     * @param dim the number of features (ignored by {@code glow})
     * @return the input shape
     */
    public static Shape inputShape(String family, int batch, int dim) {
        return "glow".equals(family) ? new Shape(batch).addAll(GLOW_IMAGE) : new Shape(batch, dim);
    }

    /**
     * The conditioner networks of a family's flow, side by side: each gets the same (batch, dim)
     * input; the block returns the sum over networks of the mean of their outputs (a scalar loss,
     * so one backward pass reaches every network). A coupling's network reads the kept half of the
     * input and writes the transformed half's parameters only, as the coupling's conditioner does:
     * the limit is the network work the flow does. Not defined for {@code glow} (its networks see
     * different shapes per level).
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
                    // AffineCoupling's default: the kept half in, 2 parameters per transformed
                    // feature out; RealNvp alternates the mask
                    nets.add(couplingNet(2, dim, i % 2 == 1));
                    break;
                case "maf":
                case "iaf":
                    // One MADE pass: all of MAF's density / IAF's sampling, 1/D of the other way.
                    nets.add(
                            Made.builder()
                                    .setDimension(dim)
                                    .setParameterCount(2)
                                    .optHiddenSizes(HIDDEN)
                                    .build());
                    break;
                case "nsf":
                    // RationalQuadraticCoupling's default: 3K - 1 parameters per feature, the
                    // same mask in every coupling (reversals in between)
                    nets.add(couplingNet(3 * NSF_BINS - 1, dim, false));
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
     * A HALF coupling's MLP as the coupling runs it: the kept half of the input (the first
     * ceil(D/2) features, or the last floor(D/2) when inverted) in, the parameters of the other
     * half out.
     */
    private static Block couplingNet(int parameters, int dim, boolean invert) {
        long first = (dim + 1) / 2;
        long transformed = invert ? first : dim - first;
        SequentialBlock net = new SequentialBlock();
        net.add(
                x ->
                        new NDList(
                                x.singletonOrThrow()
                                        .split(new long[] {first}, 1)
                                        .get(invert ? 1 : 0)));
        net.add(Conditioners.mlp(parameters * transformed, HIDDEN));
        return net;
    }

    private static NormalizingFlow withBase(FlowBlock flow, Shape event) {
        return NormalizingFlow.builder().setFlow(flow).setBase(new StandardNormal(event)).build();
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
        return withBase(
                RealNvp.builder()
                        .setDimension(dim)
                        .optCouplings(depth)
                        .optHiddenSizes(HIDDEN)
                        .optScaleBound(SCALE_BOUND)
                        .build(),
                new Shape(dim));
    }
}

package io.github.djlflows.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-scale architecture of Real NVP and Glow as one bijective {@link FlowBlock} whose output
 * has the same shape as its input.
 *
 * <p>Each level i holds an optional {@code pre} flow (run at the level's input resolution, before
 * the squeeze) and an optional {@code post} flow (run after the squeeze). Level i, on its input x_i
 * of shape (B, C_i, H_i, W_i):
 *
 * <pre>
 * y  = pre_i(x_i)                                  (identity when absent)
 * if post_i is absent (must be the last level):     out_i = y
 * else:
 *   y = post_i(squeeze(y))                          (B, 4C_i, H_i/2, W_i/2)
 *   if last level:  out_i = unsqueeze(y)
 *   else:           z1, z2 = split(y)               z2 is factored out, z1 = x_{i+1}
 *                   out_i  = unsqueeze(concat(out_{i+1}(z1), z2))
 * logDet = sum of every layer's log-det
 * </pre>
 *
 * <p>Output layout: each level writes its factored half z2 back through the inverse squeeze, so the
 * latent z has the input's shape (C, H, W) and a standard-normal base over (C, H, W) applies; the
 * factored halves of the coarse levels occupy fixed positions. The inverse runs the same recursion
 * backwards. Cost: the sum of the levels' flows in each direction; analytic inverse when theirs
 * are. The factored z2 has no prior of its own here (a standard normal, like the final latent); a
 * learned conditional prior is a bijection on z2 given z1 at the end of the level's post flow, as
 * in {@code Glow.Builder.optLearnedPrior}.
 *
 * <p>References: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017;
 * Kingma and Dhariwal, "Glow: Generative Flow with Invertible 1x1 Convolutions", NeurIPS 2018.
 *
 * <pre>{@code
 * MultiScaleFlow flow = new MultiScaleFlow(List.of(
 *         MultiScaleFlow.Level.post(stepsAt4x14x14),
 *         MultiScaleFlow.Level.post(stepsAt8x7x7)));
 * }</pre>
 */
public class MultiScaleFlow extends FlowBlock {

    private static final byte VERSION = 1;

    private final List<FlowBlock> pre = new ArrayList<>();
    private final List<FlowBlock> post = new ArrayList<>();

    /**
     * One resolution level of a {@link MultiScaleFlow}.
     *
     * @param pre the flow before the squeeze, or null
     * @param post the flow after the squeeze, or null for a last level without squeeze
     */
    public record Level(FlowBlock pre, FlowBlock post) {

        /**
         * A level with a flow after the squeeze only (Glow).
         *
         * @param post the flow after the squeeze
         * @return the level
         */
        public static Level post(FlowBlock post) {
            return new Level(null, post);
        }
    }

    /**
     * Creates the flow.
     *
     * @param levels the levels, finest first; only the last may have no {@code post} flow
     */
    public MultiScaleFlow(List<Level> levels) {
        super(VERSION);
        Preconditions.checkArgument(!levels.isEmpty(), "a MultiScaleFlow needs at least one level");
        for (int i = 0; i < levels.size(); i++) {
            Level level = levels.get(i);
            Preconditions.checkArgument(
                    level.pre() != null || level.post() != null, "level " + i + " has no flow");
            Preconditions.checkArgument(
                    level.post() != null || i == levels.size() - 1,
                    "only the last level may skip the squeeze (level " + i + ")");
            pre.add(
                    level.pre() == null
                            ? null
                            : addChildBlock(String.format("%02dpre", i), level.pre()));
            post.add(
                    level.post() == null
                            ? null
                            : addChildBlock(String.format("%02dpost", i), level.post()));
        }
    }

    /**
     * The number of levels.
     *
     * @return the level count
     */
    public int getLevels() {
        return pre.size();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException(
                    "MultiScaleFlow expects images (batch, channels, height, width), got " + shape);
        }
        for (int i = 0; i < pre.size(); i++) {
            if (pre.get(i) != null) {
                pre.get(i).initialize(manager, dataType, shape);
            }
            if (post.get(i) != null) {
                Shape squeezed;
                try {
                    squeezed = Squeeze.squeezedShape(shape);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "MultiScaleFlow level " + i + ": " + e.getMessage(), e);
                }
                post.get(i).initialize(manager, dataType, squeezed);
                if (i < pre.size() - 1) {
                    shape =
                            new Shape(
                                    squeezed.get(0),
                                    squeezed.get(1) / 2,
                                    squeezed.get(2),
                                    squeezed.get(3));
                }
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDArray[] acc = {null};
        NDArray z = forwardLevel(parameterStore, x, 0, training, acc);
        return result(z, acc[0]);
    }

    private NDArray forwardLevel(
            ParameterStore ps, NDArray x, int i, boolean training, NDArray[] logDet) {
        NDArray y = x;
        if (pre.get(i) != null) {
            y = run(pre.get(i).forward(ps, new NDList(y), training), logDet);
        }
        if (post.get(i) == null) {
            return y;
        }
        y = run(post.get(i).forward(ps, new NDList(Squeeze.squeeze(y)), training), logDet);
        if (i < pre.size() - 1) {
            NDArray[] halves = Split.split(y);
            NDArray z1 = forwardLevel(ps, halves[0], i + 1, training, logDet);
            y = Split.merge(z1, halves[1]);
        }
        return Squeeze.unsqueeze(y);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray[] acc = {null};
        NDArray x = inverseLevel(parameterStore, z, 0, acc);
        return result(x, acc[0]);
    }

    private NDArray inverseLevel(ParameterStore ps, NDArray z, int i, NDArray[] logDet) {
        NDArray y = z;
        if (post.get(i) != null) {
            y = Squeeze.squeeze(y);
            if (i < pre.size() - 1) {
                NDArray[] halves = Split.split(y);
                NDArray z1 = inverseLevel(ps, halves[0], i + 1, logDet);
                y = Split.merge(z1, halves[1]);
            }
            y = Squeeze.unsqueeze(run(post.get(i).inverse(ps, new NDList(y)), logDet));
        }
        if (pre.get(i) != null) {
            y = run(pre.get(i).inverse(ps, new NDList(y)), logDet);
        }
        return y;
    }

    private static NDArray run(NDList out, NDArray[] logDet) {
        logDet[0] = logDet[0] == null ? out.get(1) : logDet[0].add(out.get(1));
        return out.get(0);
    }
}

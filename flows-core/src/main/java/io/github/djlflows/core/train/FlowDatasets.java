package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.util.Preconditions;

/**
 * Helpers that turn unlabeled data into DJL datasets for {@code EasyTrain.fit}.
 *
 * <p>DJL's training loop reads {@code labels.get(0)}, so an unlabeled dataset carries a placeholder
 * label column of zeros; {@link NegativeLogLikelihood} ignores it.
 *
 * <pre>{@code
 * ArrayDataset train = FlowDatasets.unlabeled(x, 256, true);
 * EasyTrain.fit(trainer, epochs, train, null);
 * }</pre>
 */
public final class FlowDatasets {

    private FlowDatasets() {}

    /**
     * Wraps unlabeled data.
     *
     * @param data the samples, (n, ...)
     * @param batchSize the batch size
     * @param shuffle whether to shuffle each epoch
     * @return the dataset
     */
    public static ArrayDataset unlabeled(NDArray data, int batchSize, boolean shuffle) {
        return unlabeled(data, batchSize, shuffle, false);
    }

    /**
     * Wraps unlabeled data, optionally leaving out each epoch's last, partial batch.
     *
     * @param data the samples, (n, ...)
     * @param batchSize the batch size
     * @param shuffle whether to shuffle each epoch
     * @param dropLast whether a last batch of fewer than {@code batchSize} samples is left out
     * @return the dataset
     */
    public static ArrayDataset unlabeled(
            NDArray data, int batchSize, boolean shuffle, boolean dropLast) {
        Preconditions.checkArgument(batchSize > 0, "batch size must be positive, got " + batchSize);
        long n = data.getShape().get(0);
        NDArray placeholder =
                data.getManager().zeros(new ai.djl.ndarray.types.Shape(n), DataType.FLOAT32);
        return new ArrayDataset.Builder()
                .setData(data)
                .optLabels(placeholder)
                .setSampling(batchSize, shuffle, dropLast)
                .build();
    }
}

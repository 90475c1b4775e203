package io.github.djlflows.zoo;

/** The checks of {@link FlowConfig#validateTraining()}: a training recipe, before any work. */
final class RecipeCheck {

    private RecipeCheck() {}

    /**
     * Checks {@code c}'s recipe (see {@link FlowConfig#validateTraining()}).
     *
     * @param c the config
     * @throws IllegalArgumentException naming the field, what was expected and what came
     */
    static void validate(FlowConfig c) {
        check(c.steps > 0, "steps must be positive, got " + c.steps);
        check(c.batchSize > 0, "batchSize must be positive, got " + c.batchSize);
        check(
                c.learningRate > 0 && Double.isFinite(c.learningRate),
                "learningRate must be a positive finite number, got " + c.learningRate);
        check(c.heldOutSize > 0, "heldOutSize must be positive, got " + c.heldOutSize);
        boolean wholeSplit = "fashion-mnist".equals(c.dataset) || "digits".equals(c.dataset);
        check(
                c.trainSize > 0 || (c.trainSize == 0 && wholeSplit),
                "trainSize must be positive (0, the whole split, only for digits and fashion-mnist),"
                        + " got "
                        + c.trainSize
                        + " for "
                        + c.dataset);
        try {
            c.learningRateSchedule(0);
            c.variationalDequantization();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config: " + e.getMessage(), e);
        }
        check(
                !c.variationalDequantization() || wholeSplit,
                "dequantization variational applies to digits and fashion-mnist, not " + c.dataset);
        check(!c.logit || "digits".equals(c.dataset), "logit applies to digits, not " + c.dataset);
        check(
                !c.learnedPrior || "glow".equals(c.family),
                "learnedPrior applies to glow, not " + c.family);
        check(
                c.logitAlpha > 0 && c.logitAlpha < 0.5,
                "logitAlpha must be in (0, 0.5), got " + c.logitAlpha);
        check(
                c.weightDecay >= 0 && Double.isFinite(c.weightDecay),
                "weightDecay must be a non-negative finite number, got " + c.weightDecay);
        check(c.emaDecay >= 0 && c.emaDecay < 1, "emaDecay must be in [0, 1), got " + c.emaDecay);
        check(
                c.validationSize >= 0,
                "validationSize must be non-negative, got " + c.validationSize);
        check(c.validateEvery > 0, "validateEvery must be positive, got " + c.validateEvery);
        check(
                c.patience >= 0,
                "patience must be non-negative (0: never stop early), got " + c.patience);
        check(
                c.divergenceNatsPerDim > 0,
                "divergenceNatsPerDim must be positive, got " + c.divergenceNatsPerDim);
        check(
                c.eventShape != null && c.eventShape.length > 0,
                "eventShape must name at least one axis");
        for (long axis : c.eventShape) {
            check(
                    axis > 0,
                    "eventShape axes must be positive, got "
                            + java.util.Arrays.toString(c.eventShape));
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config: " + message);
        }
    }
}

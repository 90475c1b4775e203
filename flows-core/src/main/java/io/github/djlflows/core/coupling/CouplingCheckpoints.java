package io.github.djlflows.core.coupling;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The checkpoint helpers of {@link CouplingFlow}: the header naming the bijection and the mask, and
 * the conversion of a version-1 checkpoint.
 *
 * <p>A version-1 coupling checkpoint, whose conditioner read the masked input (every feature, the
 * transformed ones zero) and wrote the parameters of every feature, is converted into the natural
 * form: the first layer keeps the input columns (or channels) of the kept features and of the
 * context, the last layer the output rows of the transformed features' parameters. The masked input
 * was zero in the dropped columns and the dropped outputs were unused, so the converted layer
 * computes the same function of the same weights, exactly.
 *
 * <p>Applies to conditioners whose first parameter is a weight with its inputs on axis 1 and whose
 * parameters from the last weight on have their outputs on axis 0: DJL's {@code Linear} and {@code
 * Conv2d} networks ({@code Conditioners.mlp}, {@code ImageConditioners.convNet}).
 */
final class CouplingCheckpoints {

    private CouplingCheckpoints() {}

    /** Writes the header: the bijection's name, the mask type and whether it is inverted. */
    static void writeHeader(
            DataOutputStream os, String bijectionName, MaskType maskType, boolean invertMask)
            throws IOException {
        os.writeUTF(bijectionName);
        os.writeUTF(maskType.name());
        os.writeBoolean(invertMask);
    }

    /**
     * Reads a header and checks it describes this layer.
     *
     * @throws MalformedModelException when the checkpoint holds another bijection or mask
     */
    static void checkHeader(
            DataInputStream is, String bijectionName, MaskType maskType, boolean invertMask)
            throws IOException, MalformedModelException {
        String name = is.readUTF();
        String maskName = is.readUTF();
        boolean inverted = is.readBoolean();
        if (!name.equals(bijectionName)
                || !maskName.equals(maskType.name())
                || inverted != invertMask) {
            throw new MalformedModelException(
                    "CouplingFlow: the checkpoint holds a "
                            + name
                            + " coupling with mask "
                            + maskName
                            + (inverted ? " (inverted)" : "")
                            + ", but this layer is "
                            + bijectionName
                            + " with mask "
                            + maskType
                            + (invertMask ? " (inverted)" : ""));
        }
    }

    /** Converts a loaded version-1 conditioner in place (see the class documentation). */
    static void sliceVersionOne(
            Block conditioner,
            CouplingLayout layout,
            Shape inputShape,
            long contextSize,
            int parameterCount,
            NDManager manager)
            throws IOException, MalformedModelException {
        PairList<String, Parameter> params = conditioner.getParameters();
        int lastWeight = -1;
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).getValue().getType() == Parameter.Type.WEIGHT) {
                lastWeight = i;
            }
        }
        long features = inputShape.get(1);
        long[] kept = layout.keptIndices();
        long[] transformed = layout.transformedIndices();
        if (lastWeight < 0 || params.get(0).getValue().getType() != Parameter.Type.WEIGHT) {
            throw new MalformedModelException(
                    "CouplingFlow: cannot convert a version-1 checkpoint of this conditioner: it does not"
                            + " start and end with a weight");
        }
        long[] inputs = new long[kept.length + Math.toIntExact(contextSize)];
        System.arraycopy(kept, 0, inputs, 0, kept.length);
        for (int c = 0; c < contextSize; c++) {
            inputs[kept.length + c] = features + c;
        }
        long[] outputs = new long[parameterCount * transformed.length];
        for (int p = 0; p < parameterCount; p++) {
            for (int j = 0; j < transformed.length; j++) {
                outputs[p * transformed.length + j] = p * features + transformed[j];
            }
        }
        Parameter first = params.get(0).getValue();
        check(first, 1, features + contextSize);
        replace(first, first.getArray().get(select(1, inputs, first.getArray())), manager);
        for (Pair<String, Parameter> pair : params.subList(lastWeight, params.size())) {
            Parameter p = pair.getValue();
            check(p, 0, parameterCount * features);
            replace(p, p.getArray().get(select(0, outputs, p.getArray())), manager);
        }
    }

    private static void check(Parameter p, int axis, long expected) throws MalformedModelException {
        Shape shape = p.getArray().getShape();
        if (shape.dimension() <= axis || shape.get(axis) != expected) {
            throw new MalformedModelException(
                    "CouplingFlow: a version-1 conditioner's "
                            + p.getName()
                            + " should have "
                            + expected
                            + " entries on axis "
                            + axis
                            + ", got shape "
                            + shape);
        }
    }

    private static NDIndex select(int axis, long[] indices, NDArray like) {
        NDArray index = like.getManager().create(indices);
        return axis == 0 ? new NDIndex("{}", index) : new NDIndex(":, {}", index);
    }

    /**
     * Gives {@code p} a new value through DJL's own parameter format ({@link Parameter#load}; a
     * loaded parameter's value cannot be set otherwise).
     */
    private static void replace(Parameter p, NDArray value, NDManager manager)
            throws IOException, MalformedModelException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            os.writeChar('P');
            os.writeByte(1);
            os.writeUTF(p.getName());
            os.write(value.encode());
        }
        NDArray old = p.getArray();
        p.load(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        old.close();
        value.close();
    }
}

package io.github.djlflows.core.autoregressive;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A MADE checkpoint's fixed state (ordering, masks) is validated when it loads. */
class MadeCheckpointTest {

    private static Made made(long seed) {
        return Made.builder()
                .setDimension(4)
                .setParameterCount(2)
                .optHiddenSizes(6)
                .optOrdering(Ordering.RANDOM)
                .optSeed(seed)
                .build();
    }

    private static byte[] saved(NDManager manager, Made made) throws Exception {
        made.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        made.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    private static String loadError(NDManager manager, byte[] bytes) {
        Made fresh = made(9);
        MalformedModelException e =
                assertThrows(
                        MalformedModelException.class,
                        () ->
                                fresh.loadParameters(
                                        manager,
                                        new DataInputStream(new ByteArrayInputStream(bytes))));
        return e.getMessage();
    }

    @Test
    void aChangedMaskEntryIsRefused() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Made made = made(1);
            byte[] bytes = saved(manager, made);
            float[] mask =
                    ((MaskedLinear) made.getChildren().valueAt(made.getChildren().size() - 1))
                            .getMask();
            ByteBuffer pattern = ByteBuffer.allocate(4 + 4 * mask.length).putInt(mask.length);
            for (float m : mask) {
                pattern.putFloat(m);
            }
            int at = indexOf(bytes, pattern.array()) + 4;
            int zero = 0;
            while (mask[zero] != 0f) {
                zero++;
            }
            byte[] flipped = bytes.clone();
            ByteBuffer.wrap(flipped).putFloat(at + 4 * zero, 1f); // a 0 that lets information leak
            String leak = loadError(manager, flipped);
            assertTrue(leak.contains("mask entry " + zero) && leak.contains("degrees"), leak);
            byte[] half = bytes.clone();
            ByteBuffer.wrap(half).putFloat(at, 0.5f);
            String notBinary = loadError(manager, half);
            assertTrue(
                    notBinary.contains("0.5") && notBinary.contains("expected 0 or 1"), notBinary);
        }
    }

    @Test
    void anOrderingThatIsNoPermutationIsRefused() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Made made = made(1);
            byte[] bytes = saved(manager, made);
            int[] order = made.getOrder();
            ByteBuffer pattern = ByteBuffer.allocate(4 * (2 + order.length)).putInt(2).putInt(4);
            for (int o : order) {
                pattern.putInt(o);
            }
            int at = indexOf(bytes, pattern.array()) + 8;
            ByteBuffer.wrap(bytes).putInt(at + 4, order[0]); // a repeated feature
            String message = loadError(manager, bytes);
            assertTrue(message.contains("not a permutation"), message);
        }
    }
}

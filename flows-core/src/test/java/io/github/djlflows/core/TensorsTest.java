package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.internal.Tensors;
import org.junit.jupiter.api.Test;

/** The shared constants: exact values per data type, shared across calls, safe inside scopes. */
class TensorsTest {

    @Test
    void sharedConstantsKeepTheirValueAndTypeAndOwnNoBatchMemory() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x64 = m.create(new double[] {1, 2});
            NDArray x32 = m.create(new float[] {1, 2});
            // 0.1 is not a float: the float64 constant must hold the double
            assertArrayEquals(new double[] {1.1, 2.1}, Tensors.add(x64, 0.1).toDoubleArray(), 0.0);
            assertArrayEquals(new float[] {1.1f, 2.1f}, Tensors.add(x32, 0.1).toFloatArray(), 0f);
            NDArray offsets =
                    Tensors.shared(x64, new double[] {0, 3, 7}, new Shape(3), DataType.INT64);
            assertEquals(DataType.INT64, offsets.getDataType());
            assertArrayEquals(new long[] {0, 3, 7}, offsets.toLongArray());
            assertSame(
                    offsets,
                    Tensors.shared(x32, new double[] {0, 3, 7}, new Shape(3), DataType.INT64));
            // results belong to the first operand's manager, never to the constants'
            assertSame(m, Tensors.add(x32, 2).getManager());
        }
    }

    @Test
    void aConstantFirstBuiltInsideAScopeOutlivesIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2});
            double value = 1234.5;
            NDArray inside;
            try (NDScope scope = new NDScope()) {
                inside = Tensors.shared(x, value);
                assertArrayEquals(
                        new float[] {1235.5f, 1236.5f}, Tensors.add(x, value).toFloatArray(), 0f);
            }
            assertFalse(inside.isReleased(), "the scope closed a shared constant");
            assertSame(inside, Tensors.shared(x, value));
            assertArrayEquals(
                    new float[] {1235.5f, 1236.5f}, Tensors.add(x, value).toFloatArray(), 0f);
        }
    }
}

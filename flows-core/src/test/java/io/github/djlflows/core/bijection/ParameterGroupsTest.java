package io.github.djlflows.core.bijection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parameter groups: {@link ElementwiseBijection#groups} cuts group k = columns [k F + from, k F +
 * to) out of a parameter-major output (checked against string indexing for every group count,
 * range and a trailing image axis), and a map's group entry computes what its stacked entry does
 * (the affine map's own, and the default stacking one of the spline).
 */
class ParameterGroupsTest {

    @ParameterizedTest(name = "P={0}, F={1}, [{2}, {3})")
    @CsvSource({"1, 5, 0, 3", "1, 5, 3, 5", "1, 4, 0, 4", "2, 2, 0, 1", "2, 2, 1, 2", "2, 7, 0, 4", "2, 7, 4, 7",
        "3, 6, 2, 5", "3, 3, 0, 3"})
    void groupsAreTheWantedColumnsOfEachParameter(int count, long features, long from, long to) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray raw = m.arange(0f, 3f * count * features * 2, 1f, DataType.FLOAT64)
                    .reshape(3, count * features, 2);
            NDList groups = ElementwiseBijection.groups(raw, count, features, from, to);
            assertEquals(count, groups.size());
            for (int k = 0; k < count; k++) {
                NDArray expected = raw.get(new NDIndex(":, {}:{}", k * features + from, k * features + to));
                assertEquals(expected.getShape(), groups.get(k).getShape(), "group " + k);
                assertArrayEquals(expected.toDoubleArray(), groups.get(k).toDoubleArray(), 0, "group " + k);
            }
        }
    }

    @Test
    void groupsRejectAnOutputOfTheWrongWidth() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ElementwiseBijection.groups(m.zeros(new Shape(4, 9)), 2, 5, 0, 3));
            assertTrue(e.getMessage().contains("(4, 9)"), e.getMessage());
        }
    }

    @Test
    void theAffineGroupEntryComputesTheStackedOne() {
        assertGroupEntryAgrees(new AffineBijection(3.0), 5);
    }

    @Test
    void theDefaultGroupEntryStacksForTheSpline() {
        assertGroupEntryAgrees(RationalQuadraticSpline.builder().optBins(4).build(), 5);
    }

    private static void assertGroupEntryAgrees(ElementwiseBijection bijection, long features) {
        int count = bijection.getParameterCount();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-2f, 2f, new Shape(4, features), DataType.FLOAT64);
            NDArray raw = m.randomNormal(0f, 2f, new Shape(4, count * features), DataType.FLOAT64);
            NDArray stacked = raw.reshape(4, count, features);
            NDList groups = ElementwiseBijection.groups(raw, count, features, 0, features);
            NDList forward = bijection.forward(x, stacked);
            NDList forwardGroups = bijection.forwardGroups(x, groups);
            NDList inverse = bijection.inverse(forward.get(0), stacked);
            NDList inverseGroups = bijection.inverseGroups(forward.get(0), groups);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(forward.get(i).toDoubleArray(), forwardGroups.get(i).toDoubleArray(), 1e-12);
                assertArrayEquals(inverse.get(i).toDoubleArray(), inverseGroups.get(i).toDoubleArray(), 1e-12);
            }
            assertArrayEquals(x.toDoubleArray(), inverseGroups.get(0).toDoubleArray(), 1e-9, "inverse of forward");
        }
    }
}

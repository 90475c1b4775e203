package io.github.djlflows.core.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standardize: fitted statistics, fixed through save/load, named errors. */
class StandardizeTest {

    @Test
    void fitsColumnsAndStandardises() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new double[][] {{1, 1000}, {3, 3000}, {5, 2000}});
            Standardize s = Standardize.fit(x);
            assertArrayEquals(new double[] {3, 2000}, s.getMean(), 1e-12);
            double sd0 = Math.sqrt(8.0 / 3);
            double sd1 = Math.sqrt(2e6 / 3);
            assertArrayEquals(new double[] {sd0, sd1}, s.getStd(), 1e-9);
            s.initialize(manager, DataType.FLOAT64, x.getShape());
            NDList out = s.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertArrayEquals(
                    new double[] {-2 / sd0, -1000 / sd1}, out.get(0).get(0).toDoubleArray(), 1e-12);
            assertEquals(-Math.log(sd0) - Math.log(sd1), out.get(1).getDouble(1), 1e-12);
            assertEquals(0, s.getParameters().size(), "no trainable parameters");
        }
    }

    @Test
    void namedErrors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException constant =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Standardize.fit(manager.create(new float[][] {{1, 2}, {1, 3}})));
            assertTrue(
                    constant.getMessage().contains("column 0 is constant"), constant.getMessage());
            IllegalArgumentException std =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Standardize.of(new double[] {0}, new double[] {0}));
            assertTrue(std.getMessage().contains("finite positive std"), std.getMessage());
            Standardize s = Standardize.of(new double[] {0, 0}, new double[] {1, 1});
            s.initialize(manager, DataType.FLOAT32, new Shape(4, 2));
            NDList wide = new NDList(manager.ones(new Shape(4, 3)));
            IllegalArgumentException shape =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> s.forward(new ParameterStore(manager, false), wide, false));
            assertTrue(
                    shape.getMessage().contains("(batch, 2)")
                            && shape.getMessage().contains("(4, 3)"),
                    shape.getMessage());
        }
    }

    @Test
    void statisticsTravelWithTheParameters(@TempDir Path dir) throws Exception {
        try (Model model = Model.newInstance("s")) {
            Standardize s = Standardize.of(new double[] {5, -3}, new double[] {1e-3, 1e3});
            model.setBlock(s);
            s.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            model.save(dir, "s");
        }
        try (Model model = Model.newInstance("s")) {
            Standardize placeholder = Standardize.placeholder(2);
            model.setBlock(placeholder);
            model.load(dir, "s");
            assertArrayEquals(new double[] {5, -3}, placeholder.getMean());
            assertArrayEquals(new double[] {1e-3, 1e3}, placeholder.getStd());
        }
        try (Model model = Model.newInstance("s")) {
            model.setBlock(Standardize.placeholder(3));
            MalformedModelException e =
                    assertThrows(MalformedModelException.class, () -> model.load(dir, "s"));
            assertTrue(
                    e.getMessage().contains("2 features") && e.getMessage().contains("3"),
                    e.getMessage());
        }
    }
}

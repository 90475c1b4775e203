package io.github.djlflows.spark;

import io.github.djlflows.zoo.train.LogDensityQuantiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@link FlowScorer}'s table checks: the input columns' names, presence, types and indices, the
 * output schema, and the anomaly threshold read from a model's stored quantiles.
 */
final class ScoringColumns {

    private ScoringColumns() {}

    /**
     * The scorer's input column names: as set, or the model's own.
     *
     * @param scorer the scorer
     * @param model the model, needed only when no input column is set
     * @return the names
     */
    static String[] inputNames(FlowScorer scorer, LoadedFlowModel model) {
        if (scorer.isDefined(scorer.inputCol())) {
            return new String[] {scorer.getOrDefault(scorer.inputCol())};
        }
        if (scorer.isDefined(scorer.inputCols())) {
            return scorer.getOrDefault(scorer.inputCols());
        }
        return model.columns().toArray(new String[0]);
    }

    /**
     * Checks that the named input columns exist with usable types.
     *
     * @param schema the table's schema
     * @param names the input column names
     * @param array whether the one input column holds arrays
     * @throws IllegalArgumentException naming the missing or mistyped column
     */
    static void checkInputs(StructType schema, String[] names, boolean array) {
        List<String> fields = Arrays.asList(schema.fieldNames());
        for (String name : names) {
            if (!fields.contains(name)) {
                throw new IllegalArgumentException(
                        "input column '" + name + "' not found; the table has " + fields);
            }
            DataType type = schema.apply(name).dataType();
            if (array) {
                boolean ok =
                        type instanceof ArrayType
                                && (((ArrayType) type).elementType() == DataTypes.FloatType
                                        || ((ArrayType) type).elementType()
                                                == DataTypes.DoubleType);
                if (!ok) {
                    throw new IllegalArgumentException(
                            "input column '"
                                    + name
                                    + "' must be array<float> or array<double>, got "
                                    + type.simpleString());
                }
            } else if (!(type instanceof NumericType)) {
                throw new IllegalArgumentException(
                        "input column '" + name + "' must be numeric, got " + type.simpleString());
            }
        }
    }

    /**
     * The indices of numeric input columns, one per flattened value of a sample.
     *
     * @param schema the table's schema
     * @param names the input column names
     * @param model the model
     * @return the indices
     * @throws IllegalArgumentException if the count differs from the model's dimension
     */
    static int[] indices(StructType schema, String[] names, LoadedFlowModel model) {
        if (names.length != model.dimension()) {
            throw new IllegalArgumentException(
                    "the model takes "
                            + model.dimension()
                            + " values per row (event shape "
                            + model.eventShape()
                            + "), got "
                            + names.length
                            + " input columns "
                            + Arrays.toString(names));
        }
        int[] columns = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            columns[i] = schema.fieldIndex(names[i]);
        }
        return columns;
    }

    /**
     * The table's schema plus the log-density column and, when named, the anomaly column.
     *
     * @param schema the table's schema
     * @param outputCol the log-density column
     * @param anomalyCol the anomaly column, or null for none
     * @return the output schema
     * @throws IllegalArgumentException if an output column already exists
     */
    static StructType outputSchema(StructType schema, String outputCol, String anomalyCol) {
        List<String> fields = Arrays.asList(schema.fieldNames());
        List<StructField> added = new ArrayList<>();
        added.add(DataTypes.createStructField(outputCol, DataTypes.DoubleType, false));
        if (anomalyCol != null) {
            added.add(DataTypes.createStructField(anomalyCol, DataTypes.BooleanType, false));
        }
        StructType out = schema;
        for (StructField f : added) {
            if (fields.contains(f.name())) {
                throw new IllegalArgumentException(
                        "output column '" + f.name() + "' already exists in the table");
            }
            out = out.add(f);
        }
        return out;
    }

    /**
     * The log-density at level {@code q} of the model's quantiles: its stored training rows', or
     * for a model of a built-in dataset (a zoo artifact) its held-out rows'.
     *
     * @param model the model
     * @param q the level, in (0, 1)
     * @return the threshold in nats
     * @throws IllegalArgumentException if the model has neither
     */
    static double quantileThreshold(LoadedFlowModel model, double q) {
        LogDensityQuantiles quantiles;
        try {
            quantiles = model.quantiles();
        } catch (IOException e) {
            throw new UncheckedIOException("setFlagBelowQuantile(" + q + "): " + e.getMessage(), e);
        }
        if (quantiles == null) {
            throw new IllegalArgumentException(
                    "setFlagBelowQuantile("
                            + q
                            + ") needs a model with stored training log-density quantiles ("
                            + LogDensityQuantiles.FILE
                            + ", written by flows train --input) or a model of a built-in dataset"
                            + " (its held-out rows'); this model has neither:"
                            + " use setAnomalyThreshold instead");
        }
        return quantiles.threshold(q);
    }
}

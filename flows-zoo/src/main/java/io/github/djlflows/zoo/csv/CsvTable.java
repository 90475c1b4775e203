package io.github.djlflows.zoo.csv;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A numeric table read from CSV by {@link CsvReader}: column names (from the header, or {@code x0,
 * x1, ...}), one row of doubles per record, and the source line of each row for messages.
 *
 * <pre>{@code
 * CsvTable table = CsvReader.builder().build().read(Path.of("data.csv"));
 * table.requireFinite("training");
 * float[][] rows = table.floatRows();
 * }</pre>
 */
public final class CsvTable {

    private final String source;
    private final List<String> columns;
    private final boolean header;
    private final double[][] rows;
    private final long[] lines;

    CsvTable(String source, List<String> columns, boolean header, double[][] rows, long[] lines) {
        this.source = source;
        this.columns = Collections.unmodifiableList(columns);
        this.header = header;
        this.rows = rows;
        this.lines = lines;
    }

    /**
     * Where the table came from (a file name, or "stdin").
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * The column names, in table order.
     *
     * @return the names
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * Whether the column names come from a header (else they are {@code x0, x1, ...}).
     *
     * @return whether the source had a header
     */
    public boolean hasHeader() {
        return header;
    }

    /**
     * The number of rows.
     *
     * @return the row count
     */
    public int size() {
        return rows.length;
    }

    /**
     * The number of columns.
     *
     * @return the column count
     */
    public int width() {
        return columns.size();
    }

    /**
     * One row's values.
     *
     * @param i the row index
     * @return a copy of the row
     */
    public double[] row(int i) {
        return rows[i].clone();
    }

    /**
     * The source line (1-based) of a row.
     *
     * @param i the row index
     * @return the line
     */
    public long line(int i) {
        return lines[i];
    }

    /**
     * Whether a row holds a value beyond float32's range or infinite: such a point lies outside any
     * density a float32 flow can give, so its log-density is {@code -Infinity}.
     *
     * @param i the row index
     * @return whether row i is at infinity
     */
    public boolean atInfinity(int i) {
        for (double v : rows[i]) {
            if (Math.abs(v) > Float.MAX_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws when any cell is NaN, or (when {@code allowInfinite} is false) infinite or beyond
     * float32's range, naming the line, column and value.
     *
     * @param purpose what the table is for, in the message ("training", "scoring")
     * @param allowInfinite whether infinite and overflowing values are allowed
     * @throws IOException naming the first bad cell
     */
    public void requireNumbers(String purpose, boolean allowInfinite) throws IOException {
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                double v = rows[i][j];
                boolean bad = Double.isNaN(v) || (!allowInfinite && Math.abs(v) > Float.MAX_VALUE);
                if (bad) {
                    throw new IOException(
                            at(i, j)
                                    + ": "
                                    + v
                                    + " cannot be used for "
                                    + purpose
                                    + ", expected a finite number within float32's range (|x| <= "
                                    + Float.MAX_VALUE
                                    + ")");
                }
            }
        }
    }

    /**
     * Throws when a cell lies outside [lo, hi], naming the line, column and value.
     *
     * @param lo the least value allowed
     * @param hi the greatest value allowed
     * @param what what the values are, for the message ("8-bit pixel values")
     * @throws IOException naming the first cell outside
     */
    public void requireWithin(double lo, double hi, String what) throws IOException {
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                if (!(rows[i][j] >= lo && rows[i][j] <= hi)) {
                    throw new IOException(
                            at(i, j)
                                    + ": "
                                    + rows[i][j]
                                    + ", expected "
                                    + what
                                    + " in ["
                                    + lo
                                    + ", "
                                    + hi
                                    + "]");
                }
            }
        }
    }

    /**
     * Throws when the table has no rows.
     *
     * @throws IOException naming the source
     */
    public void requireRows() throws IOException {
        if (rows.length == 0) {
            throw new IOException(
                    source + ": no data rows (expected at least one after the header)");
        }
    }

    /**
     * Throws when two columns share a name: a model's columns are matched by name when it scores.
     *
     * @throws IOException naming the repeated name and the columns
     */
    public void requireDistinctColumns() throws IOException {
        for (int j = 0; j < columns.size(); j++) {
            if (columns.indexOf(columns.get(j)) != j) {
                throw new IOException(
                        source
                                + ": the columns "
                                + columns
                                + " name '"
                                + columns.get(j)
                                + "' twice, expected distinct names (a model matches columns by"
                                + " name when it scores); rename one, or pick columns with --columns");
            }
        }
    }

    /**
     * "source line L, column C ('name')", for messages about a cell.
     *
     * @param row the row index
     * @param column the column index
     * @return the location
     */
    public String at(int row, int column) {
        return source
                + " line "
                + lines[row]
                + ", column "
                + (column + 1)
                + " ('"
                + columns.get(column)
                + "')";
    }

    /**
     * The rows as float32, infinite values kept as infinities.
     *
     * @return (size, width) values
     */
    public float[][] floatRows() {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = (float) rows[i][j];
            }
        }
        return out;
    }

    /**
     * The rows in a new order, for splits.
     *
     * @param order the row indices to keep, in order
     * @return the table of those rows
     */
    public CsvTable select(int[] order) {
        double[][] r = new double[order.length][];
        long[] l = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            r[i] = rows[order[i]];
            l[i] = lines[order[i]];
        }
        return new CsvTable(source, columns, header, r, l);
    }

    /**
     * The named columns, in the given order.
     *
     * @param names column names of this table
     * @return the table of those columns
     * @throws IOException naming a missing column and the ones there are
     */
    public CsvTable columns(List<String> names) throws IOException {
        int[] pick = new int[names.size()];
        for (int k = 0; k < pick.length; k++) {
            pick[k] = columns.indexOf(names.get(k));
            if (pick[k] >= 0 && columns.lastIndexOf(names.get(k)) != pick[k]) {
                throw new IOException(
                        source
                                + ": the file has two columns named '"
                                + names.get(k)
                                + "' (columns "
                                + (pick[k] + 1)
                                + " and "
                                + (columns.lastIndexOf(names.get(k)) + 1)
                                + "), expected one of each of the model's columns "
                                + names);
            }
            if (pick[k] < 0) {
                throw new IOException(
                        source
                                + ": no column '"
                                + names.get(k)
                                + "', expected the model's columns "
                                + names
                                + ", the file has "
                                + columns);
            }
        }
        double[][] r = new double[rows.length][pick.length];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < pick.length; k++) {
                r[i][k] = rows[i][pick[k]];
            }
        }
        return new CsvTable(source, List.copyOf(names), header, r, lines);
    }

    @Override
    public String toString() {
        return source
                + ": "
                + rows.length
                + " rows x "
                + columns.size()
                + " columns "
                + Arrays.toString(columns.toArray());
    }
}

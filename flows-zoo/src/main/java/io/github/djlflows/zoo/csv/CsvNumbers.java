package io.github.djlflows.zoo.csv;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict parsing of numeric CSV cells: decimal numbers with an optional exponent ({@code 1}, {@code
 * -0.5}, {@code .5}, {@code 1e-3}), {@code Infinity}/{@code inf} and {@code NaN} in any case with
 * an optional sign. Java's own suffixes and hexadecimal forms ({@code 1f}, {@code 2d}, {@code
 * 0x1p1}) are not numbers in a CSV file, unlike for {@link Double#parseDouble}.
 *
 * <pre>{@code
 * double v = CsvNumbers.parse("1e-3"); // 0.001
 * boolean ok = CsvNumbers.isNumber("1f"); // false
 * }</pre>
 */
public final class CsvNumbers {

    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvNumbers() {}

    /**
     * Whether a trimmed cell is a number in the sense of {@link #parse}.
     *
     * @param cell the cell text
     * @return whether it parses
     */
    public static boolean isNumber(String cell) {
        return parseOrNull(cell) != null;
    }

    /**
     * Parses a cell.
     *
     * @param cell the cell text (surrounding blanks allowed)
     * @return its value
     * @throws NumberFormatException naming the cell when it is not a number
     */
    public static double parse(String cell) {
        Double value = parseOrNull(cell);
        if (value == null) {
            throw new NumberFormatException(
                    cell.isBlank()
                            ? "an empty cell, expected a number"
                            : "'"
                                    + cell
                                    + "' is not a number (expected e.g. 1, -0.5, 1e-3, Infinity, NaN)");
        }
        return value;
    }

    private static Double parseOrNull(String cell) {
        String s = cell.strip();
        if (DECIMAL.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String body = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (body.equals("inf") || body.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (body.equals("nan")) {
            return Double.NaN;
        }
        return null;
    }
}

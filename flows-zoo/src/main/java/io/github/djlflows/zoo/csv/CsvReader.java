package io.github.djlflows.zoo.csv;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads numeric tables from CSV with Apache Commons CSV: comma, semicolon or tab delimited
 * (detected from the first line unless given), a header detected (the first record holds a cell
 * that is not a number) unless stated, optional column selection by name or 1-based position, gzip
 * detected from the content, a UTF-8 byte-order mark skipped, {@code -} for standard input. Every
 * error names the source, line and column: a ragged row (including a trailing delimiter, {@code
 * 0.1,0.2,} is three cells), a cell that is not a number in the sense of {@link CsvNumbers}.
 *
 * <pre>{@code
 * CsvTable table = CsvReader.builder().optColumns(List.of("a", "c")).build().read(Path.of("x.csv.gz"));
 * }</pre>
 */
public final class CsvReader {

    private final Boolean header;
    private final Character delimiter;
    private final List<String> columns;
    private final List<String> columnsIfPresent;

    private CsvReader(Builder builder) {
        this.header = builder.header;
        this.delimiter = builder.delimiter;
        this.columns = builder.columns;
        this.columnsIfPresent = builder.columnsIfPresent;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a file, or standard input when the path is {@code -}.
     *
     * @param path the file
     * @return the table
     * @throws IOException if the file is missing or unreadable, or a cell is bad (line and column
     *     named)
     */
    public CsvTable read(Path path) throws IOException {
        if (path.toString().equals("-")) {
            return read(System.in, "stdin");
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException("input file not found: " + path.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /**
     * Reads a stream (gzip detected from its first bytes).
     *
     * @param stream the bytes
     * @param source a name for messages
     * @return the table
     * @throws IOException if reading fails or a cell is bad
     */
    public CsvTable read(InputStream stream, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stream);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        String text;
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8))) {
            StringBuilder sb = new StringBuilder();
            char[] buffer = new char[1 << 16];
            for (int n; (n = reader.read(buffer)) > 0; ) {
                sb.append(buffer, 0, n);
            }
            text = sb.length() > 0 && sb.charAt(0) == '\uFEFF' ? sb.substring(1) : sb.toString();
        } catch (IOException e) {
            if (!gzip) {
                throw e;
            }
            throw new IOException(
                    source + ": a corrupt or truncated gzip file (" + e.getMessage() + ")", e);
        }
        if (text.isBlank()) {
            throw new IOException(source + ": empty input, expected CSV rows of numbers");
        }
        int firstEnd = text.indexOf('\n');
        char sep =
                delimiter != null
                        ? delimiter
                        : detectDelimiter(firstEnd < 0 ? text : text.substring(0, firstEnd));
        CSVFormat format =
                CSVFormat.DEFAULT
                        .builder()
                        .setDelimiter(sep)
                        .setIgnoreEmptyLines(true)
                        .setTrim(true)
                        .get();
        try (CSVParser parser = format.parse(new StringReader(text))) {
            return parse(parser, source, sep, text);
        } catch (UncheckedIOException e) {
            throw new IOException(source + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The character offset where each line starts. */
    private static long[] lineStarts(String text) {
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1L);
            }
        }
        return starts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The first offset at or after {@code position} that is not blank (skipped empty lines). */
    private static long skipBlank(String text, long position) {
        int i = (int) position;
        while (i < text.length()
                && Character.isWhitespace(text.charAt(i))
                && text.charAt(i) != '\t') {
            i++;
        }
        return i;
    }

    /** The 1-based line holding a character offset. */
    private static long lineOf(long[] starts, long position) {
        int i = Arrays.binarySearch(starts, position);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private CsvTable parse(CSVParser parser, String source, char sep, String text)
            throws IOException {
        long[] starts = lineStarts(text);
        List<String> names = null;
        boolean isHeader = false;
        int[] pick = null;
        List<double[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (CSVRecord record : parser) {
            long start = lineOf(starts, skipBlank(text, record.getCharacterPosition()));
            List<String> cells = record.toList();
            if (names == null) {
                isHeader =
                        header != null
                                ? header
                                : cells.stream().anyMatch(c -> !CsvNumbers.isNumber(c));
                names = new ArrayList<>();
                for (int j = 0; j < cells.size(); j++) {
                    names.add(isHeader ? cells.get(j) : "x" + j);
                }
                pick = pick(names, isHeader, source);
                if (isHeader) {
                    continue;
                }
            }
            if (cells.size() != names.size()) {
                throw new IOException(
                        String.format(
                                "%s line %d: %d values, expected %d like %s%s",
                                source,
                                start,
                                cells.size(),
                                names.size(),
                                rows.isEmpty() ? "the first line" : "line " + lines.get(0),
                                cells.size() == names.size() + 1
                                                && cells.get(cells.size() - 1).isEmpty()
                                        ? " (a trailing '" + sep + "' adds an empty cell)"
                                        : ""));
            }
            double[] row = new double[pick.length];
            for (int j = 0; j < pick.length; j++) {
                String cell = cells.get(pick[j]);
                try {
                    row[j] = CsvNumbers.parse(cell);
                } catch (NumberFormatException e) {
                    throw new IOException(
                            source
                                    + " line "
                                    + start
                                    + ", column "
                                    + (pick[j] + 1)
                                    + " ('"
                                    + names.get(pick[j])
                                    + "'): "
                                    + e.getMessage()
                                    + (columns == null && pick.length > 1
                                            ? "; to leave a column out, list the columns to read"
                                                    + " (--columns on the command line)"
                                            : ""),
                            e);
                }
            }
            rows.add(row);
            lines.add(start);
        }
        if (names == null) {
            throw new IOException(source + ": no records, expected CSV rows of numbers");
        }
        List<String> kept = new ArrayList<>();
        for (int j : pick) {
            kept.add(names.get(j));
        }
        long[] lineArray = lines.stream().mapToLong(Long::longValue).toArray();
        return new CsvTable(source, kept, isHeader, rows.toArray(new double[0][]), lineArray);
    }

    private int[] pick(List<String> names, boolean isHeader, String source) throws IOException {
        if (columns == null && columnsIfPresent != null && isHeader) {
            if (names.containsAll(columnsIfPresent)) {
                for (String name : columnsIfPresent) {
                    if (names.indexOf(name) != names.lastIndexOf(name)) {
                        throw new IOException(
                                String.format(
                                        "%s: the file has two columns named '%s' (columns %d and"
                                                + " %d), expected one of each of the model's columns"
                                                + " %s",
                                        source,
                                        name,
                                        names.indexOf(name) + 1,
                                        names.lastIndexOf(name) + 1,
                                        columnsIfPresent));
                    }
                }
                return columnsIfPresent.stream().mapToInt(names::indexOf).toArray();
            }
        }
        if (columns == null) {
            int[] all = new int[names.size()];
            Arrays.setAll(all, j -> j);
            return all;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < names.size(); j++) {
            index.putIfAbsent(names.get(j), j);
        }
        int[] out = new int[columns.size()];
        for (int k = 0; k < columns.size(); k++) {
            String c = columns.get(k).strip();
            Integer j = index.get(c);
            if (j == null && c.matches("\\d+")) {
                int position = Integer.parseInt(c);
                j = position >= 1 && position <= names.size() ? position - 1 : null;
            }
            if (j == null) {
                throw new IOException(
                        source
                                + ": no column '"
                                + c
                                + "'; "
                                + (isHeader
                                        ? "the header has " + names
                                        : "no header, so name columns by position 1.."
                                                + names.size()));
            }
            for (int earlier = 0; earlier < k; earlier++) {
                if (out[earlier] == j) {
                    throw new IOException(
                            source
                                    + ": the column list "
                                    + columns
                                    + " picks column "
                                    + (j + 1)
                                    + " ('"
                                    + names.get(j)
                                    + "') twice, expected each column once");
                }
            }
            out[k] = j;
        }
        return out;
    }

    private static char detectDelimiter(String line) {
        char best = ',';
        long most = 0;
        for (char c : new char[] {',', ';', '\t'}) {
            long count = line.chars().filter(ch -> ch == c).count();
            if (count > most) {
                most = count;
                best = c;
            }
        }
        return best;
    }

    /** Builds a {@link CsvReader}. */
    public static final class Builder {

        private Boolean header;
        private Character delimiter;
        private List<String> columns;
        private List<String> columnsIfPresent;

        private Builder() {}

        /**
         * Sets whether the first record is a header. Defaults to detection: a header when one of
         * its cells is not a number.
         *
         * @param header true, false, or null to detect
         * @return this builder
         */
        public Builder optHeader(Boolean header) {
            this.header = header;
            return this;
        }

        /**
         * Sets the delimiter. Defaults to the most frequent of comma, semicolon and tab in the
         * first line (comma when none).
         *
         * @param delimiter the delimiter, or null to detect
         * @return this builder
         */
        public Builder optDelimiter(Character delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Keeps only these columns, in this order: header names, or 1-based positions. Defaults to
         * every column.
         *
         * @param columns the columns, or null for all
         * @return this builder
         */
        public Builder optColumns(List<String> columns) {
            this.columns = columns == null ? null : List.copyOf(columns);
            return this;
        }

        /**
         * Keeps only these header names, in this order, when the header holds them all (a model's
         * training columns: other columns, text among them, are then not read); otherwise every
         * column is read. A header naming one of them twice is refused as ambiguous. Ignored when
         * {@link #optColumns} is set. Defaults to none.
         *
         * @param names the column names, or null
         * @return this builder
         */
        public Builder optColumnsIfPresent(List<String> names) {
            this.columnsIfPresent = names == null ? null : List.copyOf(names);
            return this;
        }

        /**
         * Builds the reader.
         *
         * @return the reader
         * @throws IllegalArgumentException for an empty column list or a delimiter that is a quote,
         *     line break or blank
         */
        public CsvReader build() {
            if (columns != null && columns.isEmpty()) {
                throw new IllegalArgumentException(
                        "the column list is empty, expected at least one column");
            }
            if (delimiter != null
                    && (delimiter == '"'
                            || delimiter == '\n'
                            || delimiter == '\r'
                            || delimiter == ' ')) {
                throw new IllegalArgumentException(
                        "delimiter '"
                                + delimiter
                                + "' cannot separate cells, expected ',', ';' or tab");
            }
            return new CsvReader(this);
        }
    }
}

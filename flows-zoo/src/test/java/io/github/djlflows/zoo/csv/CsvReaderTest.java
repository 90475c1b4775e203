package io.github.djlflows.zoo.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV dialect of the command line: headers, delimiters, columns, gzip, BOM, strict numbers. */
class CsvReaderTest {

    private static CsvTable read(String text) throws IOException {
        return read(CsvReader.builder().build(), text);
    }

    private static CsvTable read(CsvReader reader, String text) throws IOException {
        return reader.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    @Test
    void detectsHeaderAndDelimiter() throws IOException {
        CsvTable t = read("a;b\n1;2\n\n3;4.5e1\n");
        assertEquals(List.of("a", "b"), t.columns());
        assertEquals(2, t.size());
        assertArrayEquals(new double[] {3, 45}, t.row(1));
        assertEquals(4, t.line(1), "the blank line counts");
        CsvTable plain = read("1\t2\n3\t4\n");
        assertEquals(List.of("x0", "x1"), plain.columns());
        assertEquals(2, plain.size());
        CsvTable forced = read(CsvReader.builder().optHeader(false).build(), "1,2\n");
        assertEquals(1, forced.size());
        CsvTable numericHeader = read(CsvReader.builder().optHeader(true).build(), "1,2\n3,4\n");
        assertEquals(List.of("1", "2"), numericHeader.columns());
        assertEquals(1, numericHeader.size());
    }

    @Test
    void selectsColumnsByNameOrPosition() throws IOException {
        CsvReader byName = CsvReader.builder().optColumns(List.of("c", "a")).build();
        CsvTable t = read(byName, "a,b,c\n1,2,3\n");
        assertEquals(List.of("c", "a"), t.columns());
        assertArrayEquals(new double[] {3, 1}, t.row(0));
        CsvTable p = read(CsvReader.builder().optColumns(List.of("2")).build(), "1,2,3\n");
        assertArrayEquals(new double[] {2}, p.row(0));
        IOException e = assertThrows(IOException.class, () -> read(byName, "a,b\n1,2\n"));
        assertTrue(
                e.getMessage().contains("no column 'c'") && e.getMessage().contains("[a, b]"),
                e.getMessage());
    }

    @Test
    void trailingDelimiterIsNotTwoValues() {
        IOException e = assertThrows(IOException.class, () -> read("a,b\n0.1,0.2,\n"));
        assertTrue(e.getMessage().contains("line 2: 3 values, expected 2"), e.getMessage());
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        IOException ragged = assertThrows(IOException.class, () -> read("1,2\n3\n"));
        assertTrue(
                ragged.getMessage().contains("line 2: 1 values, expected 2"), ragged.getMessage());
    }

    @Test
    void javaNumberSuffixesAreNotNumbers() {
        for (String cell : new String[] {"1f", "2d", "0x1p1", "1_000", "--1", "1e", ""}) {
            assertFalse(CsvNumbers.isNumber(cell), cell);
            IOException e = assertThrows(IOException.class, () -> read("a,b\n1," + cell + "\n"));
            assertTrue(e.getMessage().contains("line 2, column 2 ('b')"), e.getMessage());
        }
        for (String cell :
                new String[] {"1", "-0.5", ".5", "5.", "1E-3", "+2", "Infinity", "-inf", "NaN"}) {
            assertTrue(CsvNumbers.isNumber(cell), cell);
        }
    }

    @Test
    void byteOrderMarkIsSkipped() throws IOException {
        CsvTable t = read("\uFEFFa,b\n1,2\n");
        assertEquals(List.of("a", "b"), t.columns());
        CsvTable noHeader = read("\uFEFF1,2\n");
        assertArrayEquals(new double[] {1, 2}, noHeader.row(0));
    }

    @Test
    void readsGzipAndQuotedCells(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("\"x, y\",b\n\"1\",2\n".getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve("d.csv.gz");
        Files.write(file, bytes.toByteArray());
        CsvTable t = CsvReader.builder().build().read(file);
        assertEquals(List.of("x, y", "b"), t.columns());
        assertArrayEquals(new double[] {1, 2}, t.row(0));
        byte[] whole = Files.readAllBytes(file);
        Path truncated = dir.resolve("cut.csv.gz");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 12));
        String cut =
                assertThrows(IOException.class, () -> CsvReader.builder().build().read(truncated))
                        .getMessage();
        assertTrue(cut.contains("cut.csv.gz: a corrupt or truncated gzip file"), cut);
        IOException missing =
                assertThrows(
                        IOException.class,
                        () -> CsvReader.builder().build().read(dir.resolve("no.csv")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    @Test
    void nonFiniteCellsAreNamed() throws IOException {
        CsvTable t = read("a,b\n1,2\n1e40,3\n4,Infinity\n");
        assertFalse(t.atInfinity(0));
        assertTrue(t.atInfinity(1), "1e40 overflows float32");
        assertTrue(t.atInfinity(2));
        IOException e = assertThrows(IOException.class, () -> t.requireNumbers("training", false));
        assertTrue(e.getMessage().contains("line 3, column 1 ('a')"), e.getMessage());
        t.requireNumbers("scoring", true);
        CsvTable nan = read("a\nNaN\n");
        assertThrows(IOException.class, () -> nan.requireNumbers("scoring", true));
    }
}

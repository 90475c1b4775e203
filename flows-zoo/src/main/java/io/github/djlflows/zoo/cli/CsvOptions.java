package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.csv.CsvReader;
import java.util.List;
import picocli.CommandLine.Option;

/** The CSV dialect options shared by {@code train} and {@code score}. */
final class CsvOptions {

    @Option(
            names = "--header",
            negatable = true,
            description =
                    "the first row is (--header) or is not (--no-header) a header; default: detected")
    Boolean header;

    @Option(
            names = "--delimiter",
            description = "',', ';', '|' or 'tab'; default: detected from the first line")
    String delimiter;

    @Option(
            names = "--columns",
            split = ",",
            description = "columns to use, by header name or 1-based position")
    List<String> columns;

    CsvReader reader() {
        return reader(null);
    }

    /**
     * The reader for a model's rows: without {@code --columns}, a header that holds the model's
     * columns has only those read.
     *
     * @param modelColumns the model's training columns, or null
     */
    CsvReader reader(List<String> modelColumns) {
        return CsvReader.builder()
                .optHeader(header)
                .optDelimiter(delimiterChar())
                .optColumns(columns)
                .optColumnsIfPresent(modelColumns)
                .build();
    }

    private Character delimiterChar() {
        if (delimiter == null) {
            return null;
        }
        switch (delimiter) {
            case "tab":
            case "\\t":
            case "\t":
                return '\t';
            case ",":
            case ";":
            case "|":
                return delimiter.charAt(0);
            default:
                throw new IllegalArgumentException(
                        "--delimiter '"
                                + delimiter
                                + "' is not supported, expected ',', ';', '|' or 'tab'");
        }
    }
}

package io.github.djlflows.zoo.cli;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.ZooArtifact;
import io.github.djlflows.zoo.csv.CsvTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A flow opened for the command line, from a zoo artifact or from a model directory. */
final class LoadedFlow implements AutoCloseable {

    final Model model;
    final NormalizingFlow flow;
    final FlowConfig config;

    /** The metrics record, or null when the directory has none. */
    final FlowMetrics metrics;

    /** The model directory, or null for a zoo artifact. */
    final Path dir;

    private LoadedFlow(
            Model model, NormalizingFlow flow, FlowConfig config, FlowMetrics metrics, Path dir) {
        this.model = model;
        this.flow = flow;
        this.config = config;
        this.metrics = metrics;
        this.dir = dir;
    }

    /** The column names: the training header, or x0, x1, ... */
    String[] columnNames() {
        int d = Math.toIntExact(config.shape().size());
        if (config.columns != null && config.columns.length == d) {
            return config.columns.clone();
        }
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = "x" + j;
        }
        return names;
    }

    /**
     * Reads a CSV of rows for this model and puts its columns in the model's order ({@link
     * #matchColumns}); a header holding the model's training columns has only those read, so other
     * columns (an id, a label) may hold anything.
     *
     * @param csv the command's CSV options
     * @param input the file, or {@code -}
     * @return the rows, one column per model column
     * @throws IOException if the file cannot be read, a cell is bad, or the columns do not match
     */
    CsvTable readRows(CsvOptions csv, Path input) throws IOException {
        boolean named = config.columns != null && config.columns.length == config.shape().size();
        CsvTable table = csv.reader(named ? Arrays.asList(config.columns) : null).read(input);
        return matchColumns(table, csv.columns != null);
    }

    /**
     * A table's columns in the model's order: by name when the table has a header holding the
     * model's training columns, else by position when the widths agree. A header that names other
     * columns is refused (scoring them by position could silently swap columns) unless the columns
     * were picked with {@code --columns}, or the model was trained without a header.
     *
     * @param table the rows read
     * @param picked whether the user picked the columns ({@code --columns})
     * @return the rows, one column per model column
     * @throws IOException naming the columns expected and found
     */
    CsvTable matchColumns(CsvTable table, boolean picked) throws IOException {
        int d = Math.toIntExact(config.shape().size());
        List<String> names = Arrays.asList(columnNames());
        boolean named = config.columns != null && config.columns.length == d;
        if (named && table.hasHeader() && table.columns().containsAll(names)) {
            return table.columns().equals(names) ? table : table.columns(names);
        }
        if (table.width() != d) {
            throw new IOException(
                    table.source()
                            + ": "
                            + table.width()
                            + " columns "
                            + table.columns()
                            + ", expected "
                            + d
                            + (named ? " (the model's columns " + names + ")" : ""));
        }
        if (named && table.hasHeader() && !picked && !names.equals(positionalNames(d))) {
            List<String> missing = new ArrayList<>(names);
            missing.removeAll(table.columns());
            throw new IOException(
                    table.source()
                            + ": the header "
                            + table.columns()
                            + " lacks "
                            + missing
                            + " of the model's columns "
                            + names
                            + ", expected them by name; rename them in the header, or take the"
                            + " file's columns by position with --columns "
                            + (d <= 8 ? positions(d) : "1,2,...," + d));
        }
        return table;
    }

    /** "1,2,...,d" written out. */
    private static String positions(int d) {
        StringBuilder sb = new StringBuilder("1");
        for (int j = 2; j <= d; j++) {
            sb.append(',').append(j);
        }
        return sb.toString();
    }

    /** The names a table without a header gets: x0, x1, ... */
    private static List<String> positionalNames(int d) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + j);
        }
        return names;
    }

    /** "family on dataset, held-out NLL 1.2345 nats" for titles. */
    String describe() {
        return describe(config, metrics);
    }

    /**
     * The title line of a model: its held-out figure, and for bits/dim which figure it is. An image
     * model's recorded uniform-dequantization bound comes first (its {@code value} is at bin
     * centres, no bound); a variational model's value is a bound.
     */
    static String describe(FlowConfig config, FlowMetrics metrics) {
        String text = config.family + " on " + config.dataset;
        if (metrics == null) {
            return text;
        }
        if (!"bits_per_dim".equals(metrics.metric)) {
            return text + String.format(Locale.ROOT, ", held-out NLL %.4f nats", metrics.value);
        }
        if (metrics.uniformBound != null) {
            return text
                    + String.format(
                            Locale.ROOT,
                            ", held-out %.4f bits/dim (uniform bound)",
                            metrics.uniformBound);
        }
        boolean binCentres = FlowFactory.isImage(config) && !config.variationalDequantization();
        return text
                + String.format(
                        Locale.ROOT,
                        binCentres
                                ? ", held-out %.4f bits/dim at bin centres"
                                : ", held-out %.4f bits/dim (bound)",
                        metrics.value);
    }

    /** Opens {@code artifactId/dataset} from the zoo through DJL Criteria. */
    static LoadedFlow fromZoo(String name) throws IOException, MalformedModelException {
        ZooArtifact artifact = new FlowsModelZoo().find(name);
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId(artifact.artifactId())
                        .optFilter("dataset", artifact.dataset())
                        .build();
        try {
            ZooModel<NDList, NDList> model = criteria.loadModel();
            return new LoadedFlow(
                    model,
                    (NormalizingFlow) model.getBlock(),
                    artifact.config(),
                    artifact.metrics(),
                    null);
        } catch (ModelNotFoundException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Opens a model directory ({@link ModelDirectory}: written by flows train or Java). */
    static LoadedFlow fromDirectory(Path dir) throws IOException, MalformedModelException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(
                    "model directory not found: "
                            + dir.toAbsolutePath()
                            + (Files.exists(dir)
                                    ? " (a file; expected a directory written by flows train)"
                                    : ""));
        }
        Model model = ModelDirectory.load(dir, null);
        try {
            FlowConfig config = FlowConfig.read(dir.resolve(ModelDirectory.CONFIG));
            Path metricsFile = dir.resolve(ModelDirectory.METRICS);
            FlowMetrics metrics = null;
            if (Files.isRegularFile(metricsFile)) {
                try (java.io.InputStream in = Files.newInputStream(metricsFile)) {
                    metrics = FlowMetrics.read(in, metricsFile.toString());
                }
            }
            return new LoadedFlow(model, (NormalizingFlow) model.getBlock(), config, metrics, dir);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Opens either source; exactly one must be given. */
    static LoadedFlow open(String artifact, Path dir) throws IOException, MalformedModelException {
        if ((artifact == null) == (dir == null)) {
            throw new IllegalArgumentException("give exactly one of --artifact or --model");
        }
        return artifact != null ? fromZoo(artifact) : fromDirectory(dir);
    }

    @Override
    public void close() {
        model.close();
    }
}

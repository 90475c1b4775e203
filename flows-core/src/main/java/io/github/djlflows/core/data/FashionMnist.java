package io.github.djlflows.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST from its gzipped IDX files ({@code train-images-idx3-ubyte.gz}, {@code
 * train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz}, {@code
 * t10k-labels-idx1-ubyte.gz}) in a directory; Debian's {@code dataset-fashion-mnist} package
 * installs them at {@link #DEBIAN_DIR}.
 *
 * <p>Shapes: {@link #images} is (n, 1, 28, 28) float32 with values 0..255 (feed it to a flow that
 * starts with {@link io.github.djlflows.core.image.Dequantize}); {@link #labels} is (n) int32.
 *
 * <p>Reference: Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking
 * Machine Learning Algorithms", 2017.
 *
 * <pre>{@code
 * NDArray x = new FashionMnist().images(manager, true, 1000); // (1000, 1, 28, 28)
 * }</pre>
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist/");

    private final Path directory;

    /** The system property that names another default directory (the tests' copy). */
    public static final String DIR_PROPERTY = "djlflows.data.fashionMnist";

    /** Reads from {@link #DEBIAN_DIR}, or the directory named by {@link #DIR_PROPERTY}. */
    public FashionMnist() {
        this(Path.of(System.getProperty(DIR_PROPERTY, DEBIAN_DIR.toString())));
    }

    /**
     * Reads from a directory.
     *
     * @param directory the directory holding the four {@code .gz} files
     */
    public FashionMnist(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns the directory.
     *
     * @return the directory
     */
    public Path getDirectory() {
        return directory;
    }

    private Path file(boolean train, String kind) {
        String name = (train ? "train" : "t10k") + "-" + kind + ".gz";
        Path path = directory.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(
                    "Fashion-MNIST file "
                            + name
                            + " not found in "
                            + directory.toAbsolutePath()
                            + "; install the Debian package dataset-fashion-mnist (files in "
                            + DEBIAN_DIR
                            + ") or point FashionMnist at a directory with the four IDX .gz files");
        }
        return path;
    }

    /**
     * Reads images.
     *
     * @param manager the manager of the result
     * @param train true for the 60,000 training images, false for the 10,000 test images
     * @param limit the most images to read; negative for all
     * @return (n, 1, 28, 28) float32, 0..255
     * @throws IOException on a read error
     * @throws IllegalArgumentException when a file is missing
     */
    public NDArray images(NDManager manager, boolean train, int limit) throws IOException {
        IdxReader.Images images = IdxReader.readImages(file(train, "images-idx3-ubyte"), limit);
        return manager.create(
                images.pixels(), new Shape(images.count(), 1, images.rows(), images.cols()));
    }

    /**
     * Reads labels (0..9: T-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag,
     * ankle boot).
     *
     * @param manager the manager of the result
     * @param train true for the training labels
     * @param limit the most labels to read; negative for all
     * @return (n) int32
     * @throws IOException on a read error
     * @throws IllegalArgumentException when a file is missing
     */
    public NDArray labels(NDManager manager, boolean train, int limit) throws IOException {
        return manager.create(IdxReader.readLabels(file(train, "labels-idx1-ubyte"), limit));
    }
}

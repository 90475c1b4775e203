package io.github.djlflows.spark;

import ai.djl.util.Utils;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import scala.Tuple2;

/** Brings a model directory named by a Hadoop URL onto executor-local disk. */
final class ModelFiles {

    /** The Spark conf key of the executor-local directory that holds copied models. */
    static final String CACHE_DIR_CONF = "spark.djlflows.modelCacheDir";

    /** Schemes DJL resolves itself ({@code Criteria.optModelUrls}). */
    static final Set<String> DJL_SCHEMES = Set.of("djl", "jar", "http", "https");

    private ModelFiles() {}

    /**
     * The scheme of a location, lower case, or null for a plain path.
     *
     * @param location the path or URL
     * @return the scheme or null
     */
    static String scheme(String location) {
        if (!location.contains("://") && !location.startsWith("file:")) {
            return null;
        }
        String scheme = URI.create(location).getScheme();
        return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
    }

    /**
     * Copies a directory named by a Hadoop URL to executor-local disk, unless an earlier call (in
     * this JVM or another on the same disk) already did. The copy lands in a temporary sibling
     * first and is moved into place, so a half-written copy is never used.
     *
     * @param location the URL
     * @return the local directory
     * @throws IOException if the copy fails
     */
    static Path localCopy(String location) throws IOException {
        Path root = cacheRoot();
        Path target = root.resolve(digest(location));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(root);
        Path tmp = root.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
        URI uri = URI.create(location);
        try (FileSystem fs = FileSystem.newInstance(uri, hadoopConfiguration())) {
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
            if (!fs.getFileStatus(source).isDirectory()) {
                throw new IOException("model location is not a directory: " + location);
            }
            fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
        } catch (IOException e) {
            Utils.deleteQuietly(tmp);
            throw new IOException(
                    "could not copy the model at " + location + " to " + root + ": " + e, e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            Utils.deleteQuietly(tmp); // another JVM on this disk won the race; use its copy
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            Utils.deleteQuietly(tmp);
        }
        return target;
    }

    /** Hadoop options from the {@code spark.hadoop.*} entries of this JVM's Spark conf. */
    private static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            for (Tuple2<String, String> kv : env.conf().getAll()) {
                if (kv._1().startsWith("spark.hadoop.")) {
                    conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
                }
            }
        }
        return conf;
    }

    private static Path cacheRoot() {
        SparkEnv env = SparkEnv.get();
        String dir = null;
        if (env != null) {
            dir = env.conf().get(CACHE_DIR_CONF, null);
            if (dir == null) {
                dir = SparkFiles.getRootDirectory();
            }
        }
        if (dir == null) {
            dir = System.getProperty("java.io.tmpdir");
        }
        return Path.of(dir).toAbsolutePath().resolve("djl-flows-models");
    }

    private static String digest(String location) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(location.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

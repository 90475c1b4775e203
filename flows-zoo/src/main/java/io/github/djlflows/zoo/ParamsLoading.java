package io.github.djlflows.zoo;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Loads parameters into a model whose block is already set, turning every failure of a corrupt or
 * truncated file into a {@link MalformedModelException} that names the file.
 *
 * <pre>{@code
 * ParamsLoading.load(model, Path.of("out/moons/moons-0000.params"));
 * }</pre>
 */
public final class ParamsLoading {

    private ParamsLoading() {}

    /**
     * Loads a params file.
     *
     * @param model a model with its block set
     * @param file the params file
     * @throws IOException if the file is missing
     * @throws MalformedModelException if it is corrupt, truncated or for another architecture
     */
    public static void load(Model model, Path file) throws IOException, MalformedModelException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("params file not found: " + file.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(file)) {
            load(model, in, file.toString());
        }
    }

    /**
     * Loads params from a stream.
     *
     * @param model a model with its block set
     * @param in the stream
     * @param source the file name for messages
     * @throws MalformedModelException if the data is corrupt, truncated or for another architecture
     */
    public static void load(Model model, InputStream in, String source)
            throws MalformedModelException {
        load(model, in, source, null);
    }

    /**
     * Loads params from a stream, checking the DJL header, an optional SHA-256 of the bytes, and
     * that every parameter received a value.
     *
     * @param model a model with its block set
     * @param in the stream
     * @param source the file name for messages
     * @param sha256 the expected SHA-256 (hex) of the file, or null to skip the check
     * @throws MalformedModelException if the data is corrupt, truncated or for another architecture
     */
    public static void load(Model model, InputStream in, String source, String sha256)
            throws MalformedModelException {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new MalformedModelException("cannot read params file " + source + ": " + e, e);
        }
        if (bytes.length < 4
                || !"DJL@".equals(new String(bytes, 0, 4, StandardCharsets.US_ASCII))) {
            throw new MalformedModelException(
                    "corrupt params file "
                            + source
                            + ": it does not start with DJL's \"DJL@\" header");
        }
        if (sha256 != null) {
            checkSha256(bytes, sha256, source);
        }
        try {
            model.load(new ByteArrayInputStream(bytes), null);
        } catch (MalformedModelException e) {
            // e.g. a layer's version byte where another layer's parameters were expected
            throw new MalformedModelException(
                    "params file "
                            + source
                            + " does not fit the model its config builds (corrupt, or saved"
                            + " from another architecture or an older version of a layer"
                            + (sha256 != null ? "; it matches its recorded SHA-256" : "")
                            + "): "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new MalformedModelException(
                    "corrupt or truncated params file "
                            + source
                            + " (or it was saved from another architecture): "
                            + e,
                    e);
        }
        if (!model.getBlock().isInitialized()) {
            throw new MalformedModelException(
                    "corrupt or truncated params file "
                            + source
                            + ": some parameters got no value");
        }
    }

    /**
     * Checks bytes against a recorded SHA-256.
     *
     * @param bytes the params bytes
     * @param expected the recorded digest (hex)
     * @param source the file name for messages
     * @throws MalformedModelException naming both digests when they differ
     */
    public static void checkSha256(byte[] bytes, String expected, String source)
            throws MalformedModelException {
        String got = sha256(bytes);
        if (!expected.equalsIgnoreCase(got)) {
            throw new MalformedModelException(
                    "corrupt params file "
                            + source
                            + ": its SHA-256 is "
                            + got
                            + ", the recorded one (metrics.json) "
                            + expected);
        }
    }

    /**
     * The SHA-256 of some bytes, as lower-case hex.
     *
     * @param bytes the bytes
     * @return the digest
     */
    public static String sha256(byte[] bytes) {
        try {
            StringBuilder sb = new StringBuilder();
            for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.github.djlflows.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes directory trees the zoo writes aside (staged saves, checkpoints, failed runs' output).
 */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes a file or a directory with everything under it; nothing happens when it is absent.
     *
     * @param path the file or directory
     * @throws IOException if an entry cannot be deleted (the entries before it are gone)
     */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(path)) {
            for (Path p : (Iterable<Path>) entries.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}

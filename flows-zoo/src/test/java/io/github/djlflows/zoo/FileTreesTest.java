package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileTrees#delete} removes nested trees, single files, and leaves siblings alone. */
class FileTreesTest {

    @Test
    void deletesANestedTreeAndNothingBesideIt(@TempDir Path tmp) throws Exception {
        Path tree = tmp.resolve("run");
        Files.createDirectories(tree.resolve("checkpoint/inner"));
        Files.writeString(tree.resolve("config.json"), "{}");
        Files.writeString(tree.resolve("checkpoint/inner/step.txt"), "3");
        Path sibling = Files.writeString(tmp.resolve("run.keep"), "mine");

        FileTrees.delete(tree);

        assertFalse(Files.exists(tree));
        assertTrue(Files.exists(sibling));
    }

    @Test
    void deletesAFileAndIgnoresAnAbsentPath(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a.params"), "x");
        FileTrees.delete(file);
        assertFalse(Files.exists(file));
        FileTrees.delete(tmp.resolve("never-there"));
        assertTrue(Files.isDirectory(tmp));
    }
}

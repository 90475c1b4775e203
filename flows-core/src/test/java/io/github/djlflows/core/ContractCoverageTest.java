package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djlflows.core.contract.FlowCase;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the contract test: every public, concrete {@link FlowBlock} class of flows-core's main
 * code is the top-level layer of at least one {@link ContractTest} case, and every such class that
 * can take a context (its builder has {@code optContextSize}) has a case with one.
 */
class ContractCoverageTest {

    /**
     * Public layers that are not bijections, documented as such, each with a test of its own:
     * VariationalDequantize samples u ~ q(u | x) in its forward and quantizes in its inverse
     * (VariationalDequantizeTest); its conditional flow, DequantizationNoise, has a case.
     */
    private static final Set<Class<?>> NOT_BIJECTIONS =
            Set.of(io.github.djlflows.core.image.VariationalDequantize.class);

    /** The public concrete FlowBlock classes compiled from flows-core's main sources. */
    static Set<Class<?>> publicFlowBlocks() throws IOException, URISyntaxException {
        Path root =
                Path.of(
                        FlowBlock.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replace(".class", ""))
                    .map(ContractCoverageTest::load)
                    .filter(
                            c ->
                                    FlowBlock.class.isAssignableFrom(c)
                                            && Modifier.isPublic(c.getModifiers())
                                            && !Modifier.isAbstract(c.getModifiers()))
                    .collect(
                            Collectors.toCollection(
                                    () ->
                                            new TreeSet<>(
                                                    (a, b) -> a.getName().compareTo(b.getName()))));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ContractCoverageTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean takesContext(Class<?> c) {
        for (Class<?> nested : c.getDeclaredClasses()) {
            for (Method m : nested.getMethods()) {
                if (m.getName().equals("optContextSize")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void everyPublicFlowBlockHasAContractCase() throws Exception {
        Set<Class<?>> covered = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        Set<Class<?>> withContext = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        for (FlowCase c : ContractTest.cases().collect(Collectors.toList())) {
            Class<?> type = c.factory().get().getClass();
            covered.add(type);
            if (c.contextSize() > 0) {
                withContext.add(type);
            }
        }
        Set<Class<?>> all = publicFlowBlocks();
        System.out.println(
                "public FlowBlock classes: "
                        + all.stream().map(Class::getSimpleName).collect(Collectors.joining(", ")));
        Set<String> missing =
                all.stream()
                        .filter(c -> !covered.contains(c) && !NOT_BIJECTIONS.contains(c))
                        .map(Class::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(
                missing.isEmpty(), "public FlowBlock classes without a contract case: " + missing);
        Set<String> noContext =
                all.stream()
                        .filter(c -> takesContext(c) && !withContext.contains(c))
                        .map(Class::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(
                noContext.isEmpty(),
                "layers that take a context without a contract case with one: " + noContext);
    }
}

package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of flows-core, read from the main sources' imports and fully qualified names
 * (javadoc included): the contract package {@code io.github.djlflows.core} imports no family (only
 * {@code internal}), {@code internal} imports nothing of the project, no family imports the
 * presets, and the package graph has no cycle.
 */
class PackageDependencyTest {

    private static final String ROOT = "io.github.djlflows.core";
    private static final Pattern REFERENCE =
            Pattern.compile("io\\.github\\.djlflows\\.core((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    /** Package -> the project packages its main sources reference. */
    static Map<String, Set<String>> graph(Path sources) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file :
                    (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(file);
                Matcher pkg =
                        Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                String from = pkg.group(1);
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(text.substring(pkg.end()));
                while (m.find()) {
                    String target = ROOT + m.group(1);
                    if (!target.equals(from)) {
                        to.add(target);
                    }
                }
            }
        }
        return graph;
    }

    static List<String> violations(Map<String, Set<String>> graph) {
        List<String> problems = new ArrayList<>();
        Set<String> contractMay = Set.of(ROOT + ".internal");
        for (String target : graph.getOrDefault(ROOT, Set.of())) {
            if (!contractMay.contains(target)) {
                problems.add("the contract package references " + target);
            }
        }
        if (!graph.getOrDefault(ROOT + ".internal", Set.of()).isEmpty()) {
            problems.add("internal references " + graph.get(ROOT + ".internal"));
        }
        for (Map.Entry<String, Set<String>> e : graph.entrySet()) {
            if (!e.getKey().equals(ROOT + ".flows") && e.getValue().contains(ROOT + ".flows")) {
                problems.add(e.getKey() + " references the presets (" + ROOT + ".flows)");
            }
        }
        for (String start : graph.keySet()) {
            List<String> cycle = cycleFrom(graph, start, new ArrayList<>(), new HashSet<>());
            if (cycle != null) {
                problems.add("package cycle: " + String.join(" -> ", cycle));
                break;
            }
        }
        return problems;
    }

    private static List<String> cycleFrom(
            Map<String, Set<String>> graph, String node, List<String> path, Set<String> done) {
        int at = path.indexOf(node);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(node);
            return cycle;
        }
        if (!done.add(node)) {
            return null;
        }
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = cycleFrom(graph, next, path, done);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    @Test
    void packagesFollowTheRules() throws IOException {
        Map<String, Set<String>> graph = graph(Path.of("src/main/java"));
        assertTrue(graph.size() > 10, "found the main sources: " + graph.keySet());
        List<String> problems = violations(graph);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theCheckSeesACycleAndAContractImportingAFamily() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put(ROOT, Set.of(ROOT + ".coupling"));
        graph.put(ROOT + ".coupling", Set.of(ROOT + ".image"));
        graph.put(ROOT + ".image", Set.of(ROOT + ".coupling"));
        List<String> problems = violations(graph);
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("the contract package references")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("package cycle")),
                problems.toString());
    }
}

package io.github.djlflows.zoo.cli;

import ai.djl.Model;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ParamsLoading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a trained model's directory: params, config, metrics with the params' SHA-256. */
final class ModelFiles {

    private ModelFiles() {}

    static void save(Model model, FlowConfig config, FlowMetrics metrics, Path dir) throws IOException {
        Files.createDirectories(dir);
        model.save(dir, "model");
        Path params = dir.resolve("model.params");
        Files.move(dir.resolve("model-0000.params"), params, StandardCopyOption.REPLACE_EXISTING);
        metrics.paramsSha256 = ParamsLoading.sha256(Files.readAllBytes(params));
        config.write(dir.resolve("config.json"));
        metrics.write(dir.resolve("metrics.json"));
    }
}

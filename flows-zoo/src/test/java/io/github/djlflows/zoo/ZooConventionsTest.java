package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zoo by DJL's conventions: applications, listed models that load, filters, translators. */
class ZooConventionsTest {

    static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void everyListedModelLoadsOfflineByItsCoordinates() throws Exception {
        Map<Application, List<MRL>> models = ModelZoo.listModels();
        List<String> loaded = new ArrayList<>();
        for (Map.Entry<Application, List<MRL>> e : models.entrySet()) {
            for (MRL mrl : e.getValue()) {
                if (!FlowsModelZoo.GROUP_ID.equals(mrl.getGroupId())) {
                    continue;
                }
                assertFalse(e.getKey() == Application.UNDEFINED, mrl + " has no application");
                Criteria<NDList, NDList> c =
                        Criteria.builder()
                                .setTypes(NDList.class, NDList.class)
                                .optApplication(e.getKey())
                                .optGroupId(mrl.getGroupId())
                                .optArtifactId(mrl.getArtifactId())
                                .build();
                try (ZooModel<NDList, NDList> model = c.loadModel()) {
                    assertTrue(model.getBlock() instanceof NormalizingFlow, mrl.toString());
                }
                // and by the URL it advertises, djl://io.github.djlflows/<artifactId>
                Criteria<NDList, NDList> byUrl =
                        Criteria.builder()
                                .setTypes(NDList.class, NDList.class)
                                .optModelUrls(mrl.toString())
                                .build();
                try (ZooModel<NDList, NDList> model = byUrl.loadModel()) {
                    assertTrue(model.getBlock() instanceof NormalizingFlow, mrl.toString());
                }
                loaded.add(e.getKey().getPath() + ":" + mrl.getArtifactId());
            }
        }
        assertEquals(
                List.of(
                        "cv/image_generation:glow",
                        "cv/image_generation:glow-vd",
                        "cv/image_generation:realnvp-image",
                        "tabular:maf",
                        "tabular:nsf",
                        "tabular:realnvp"),
                loaded.stream().sorted().toList());
    }

    @Test
    void everyArtifactLoadsByItsJarUrl() throws Exception {
        for (ZooArtifact a : new FlowsModelZoo().getArtifacts()) {
            Criteria<NDList, NDList> c =
                    Criteria.builder()
                            .setTypes(NDList.class, NDList.class)
                            .optModelUrls(a.url())
                            .build();
            try (ZooModel<NDList, NDList> model = c.loadModel()) {
                assertTrue(model.getBlock() instanceof NormalizingFlow, a.url());
                assertEquals(a.modelName(), model.getName());
            }
        }
        ZooArtifact moons = new FlowsModelZoo().find("maf/two-moons");
        float[][] rows = {{0.5f, 0.2f}};
        Criteria<float[][], float[]> byUrl =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optModelUrls(moons.url())
                        .optTranslatorFactory(new FlowTranslatorFactory())
                        .build();
        try (ZooModel<float[][], float[]> a = byUrl.loadModel();
                ZooModel<float[][], float[]> b = ZooArtifactsTest.scorer("maf", "two-moons");
                Predictor<float[][], float[]> pa = a.newPredictor();
                Predictor<float[][], float[]> pb = b.newPredictor()) {
            assertEquals(pb.predict(rows)[0], pa.predict(rows)[0], 0f, "jar:// and the zoo agree");
        }
    }

    @Test
    void aLoadersResourceIsItsZooUrlNotTheWorkingDirectory() {
        for (ai.djl.repository.zoo.ModelLoader loader : new FlowsModelZoo().getModelLoaders()) {
            ai.djl.repository.MRL mrl = loader.getMrl();
            assertEquals(
                    "djl", mrl.getRepository().getBaseUri().getScheme(), loader.getArtifactId());
            assertEquals(
                    java.net.URI.create("djl://io.github.djlflows/" + loader.getArtifactId()),
                    mrl.getRepository().getBaseUri());
        }
    }

    @Test
    void advertisedUrlsTakeTheDatasetFilterAndTypedTranslators() throws Exception {
        float[][] rows = {{0.5f, 0.2f}, {-1f, 0.3f}};
        Criteria<float[][], float[]> byUrl =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optModelUrls("djl://io.github.djlflows/maf")
                        .optFilter("dataset", "two-moons")
                        .build();
        try (ZooModel<float[][], float[]> a = byUrl.loadModel();
                ZooModel<float[][], float[]> b = ZooArtifactsTest.scorer("maf", "two-moons");
                Predictor<float[][], float[]> pa = a.newPredictor();
                Predictor<float[][], float[]> pb = b.newPredictor()) {
            assertEquals("maf-two-moons", a.getName());
            float[] got = pa.predict(rows);
            float[] want = pb.predict(rows);
            assertEquals(want[0], got[0], 0f);
            assertEquals(want[1], got[1], 0f);
        }
        String m =
                messages(
                        assertThrows(
                                Exception.class,
                                () ->
                                        Criteria.builder()
                                                .setTypes(NDList.class, NDList.class)
                                                .optModelUrls("djl://io.github.djlflows/warp")
                                                .build()
                                                .loadModel()));
        assertTrue(m.contains("'warp'") && m.contains("maf"), m);
    }

    @Test
    void wrongFiltersListTheValidOnes() {
        Criteria<float[][], float[]> key =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("maf")
                        .optFilter("data", "two-moons")
                        .build();
        String m = messages(assertThrows(Exception.class, key::loadModel));
        assertTrue(
                m.contains("unknown filter 'data'")
                        && m.contains("[dataset]")
                        && m.contains("two-moons"),
                m);
        Criteria<float[][], float[]> value =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("maf")
                        .optFilter("dataset", "moons")
                        .build();
        m = messages(assertThrows(Exception.class, value::loadModel));
        assertTrue(m.contains("'moons'") && m.contains("two-moons") && m.contains("digits"), m);
    }

    @Test
    void wrongTranslatorKindsAndTypesAreNamed() {
        Criteria<float[][], float[]> kind =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("maf")
                        .optArgument("translator", "decode")
                        .build();
        String m = messages(assertThrows(Exception.class, kind::loadModel));
        assertTrue(m.contains("'decode'") && m.contains("[score, encode, sample]"), m);
        Criteria<String, String> types =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("maf")
                        .build();
        m = messages(assertThrows(Exception.class, types::loadModel));
        assertTrue(m.contains("String -> String") && m.contains("float[][]->float[]"), m);
    }

    /** A user's translator: how many rows came in and the first log p, as text. */
    static final class CountingTranslator implements NoBatchifyTranslator<float[][], String> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[][] rows) {
            return new NDList(ctx.getNDManager().create(rows));
        }

        @Override
        public String processOutput(TranslatorContext ctx, NDList list) {
            return list.get(2).size() + " rows";
        }
    }

    @Test
    void aUsersTranslatorIsHonoured() throws Exception {
        Criteria<float[][], String> c =
                Criteria.builder()
                        .setTypes(float[][].class, String.class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("realnvp")
                        .optFilter("dataset", "two-moons")
                        .optTranslator(new CountingTranslator())
                        .build();
        try (ZooModel<float[][], String> model = c.loadModel();
                Predictor<float[][], String> p = model.newPredictor()) {
            assertEquals("3 rows", p.predict(new float[][] {{0, 0}, {1, 0}, {0, 1}}));
        }
    }
}

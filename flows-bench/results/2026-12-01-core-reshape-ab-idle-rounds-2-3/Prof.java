import ai.djl.pytorch.jni.JniUtils;
import io.github.djlflows.bench.*;
public class Prof {
    public static void main(String[] a) throws Exception {
        TrainerBenchmark b = a[0].equals("flow") ? new FlowBenchmark() : new ConditionerLimitBenchmark();
        b.family = "realnvp"; b.dim = 64; b.batch = 1024; b.depth = 8; b.optimizer = "fused";
        b.setUp();
        java.lang.reflect.Method step = TrainerBenchmark.class.getDeclaredMethod("step");
        step.setAccessible(true);
        for (int i = 0; i < 300; i++) step.invoke(b);
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) step.invoke(b);
        System.out.printf("%s: %.3f ms/step unprofiled%n", a[0], (System.nanoTime() - t0) / 200e6);
        JniUtils.startProfile(false, false, false);
        t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) step.invoke(b);
        System.out.printf("%s: %.3f ms/step profiled%n", a[0], (System.nanoTime() - t0) / 20e6);
        JniUtils.stopProfile(a[1]);
        b.tearDown();
    }
}

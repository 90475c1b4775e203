package io.github.djlflows.spark;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One predictor for one Spark task: opened in the task's thread with the task's intra-op thread
 * count, closed when the task completes (success, failure or cancellation), or by {@link #close()}
 * when there is no task (a plain JVM).
 *
 * @param <I> the input type
 * @param <O> the output type
 */
final class TaskPredictor<I, O> implements AutoCloseable {

    private final Predictor<I, O> predictor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean inTask;

    private TaskPredictor(Predictor<I, O> predictor, boolean inTask) {
        this.predictor = predictor;
        this.inTask = inTask;
    }

    /**
     * Opens a predictor for the current task. The engine has loaded (the model exists), so
     * PyTorch's per-thread intra-op setting can be made here, in the thread that will run it.
     *
     * @param model the model, already loaded in this JVM
     * @param translator the translator
     * @param threads intra-op threads for this task's thread
     * @param <I> the input type
     * @param <O> the output type
     * @return the predictor, registered for closing at task completion
     */
    static <I, O> TaskPredictor<I, O> open(Model model, Translator<I, O> translator, int threads) {
        JniUtils.setNumThreads(threads);
        TaskContext task = TaskContext.get();
        TaskPredictor<I, O> p = new TaskPredictor<>(model.newPredictor(translator), task != null);
        ExecutorModels.opened();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> p.close());
        }
        return p;
    }

    /** Whether a Spark task closes this predictor (otherwise its user must). */
    boolean closedByTask() {
        return inTask;
    }

    O predict(I input) throws TranslateException {
        return predictor.predict(input);
    }

    /** Closes the predictor once; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            predictor.close();
            ExecutorModels.closed();
        }
    }
}

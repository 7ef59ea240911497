package dev.facet.spark;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.core.CoreModule;
import dev.facet.embed.EmbedModule;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.TextEncoder;
import java.util.HashMap;
import java.util.Map;

/**
 * One set of Facet encoders per executor JVM.
 *
 * <p>Why a static holder: Spark, not Facet, owns the executor's lifecycle. Tasks are deserialized
 * closures with no injector and no hook that runs once per JVM, and loading the models (libtorch,
 * OnnxRuntime, BERT and ResNet weights: seconds and hundreds of MB) per task or per partition would
 * dominate the job. So the first task in a JVM builds the same Guice graph the local ingest uses
 * ({@link CoreModule} + {@link EmbedModule}), later tasks reuse it, and concurrent tasks of one executor
 * share it ({@link EmbeddingPipeline#run} may be called concurrently; the encoders open a predictor
 * and an NDManager scope per call and close them). The encoders are closed by a shutdown hook when the
 * executor JVM exits.
 */
final class ExecutorEncoders {
  private static final Map<ExtractSettings, Loaded> LOADED = new HashMap<>();

  /** The pipeline and how long this JVM took to load it. */
  record Loaded(EmbeddingPipeline pipeline, long loadNanos) {}

  private ExecutorEncoders() {}

  static synchronized Loaded get(ExtractSettings settings) {
    Loaded loaded = LOADED.get(settings);
    if (loaded == null) {
      long start = System.nanoTime();
      Injector injector = Guice.createInjector(new CoreModule(settings.facetConfig()), new EmbedModule(settings.embedSettings()));
      EmbeddingPipeline pipeline = injector.getInstance(EmbeddingPipeline.class);
      ImageEncoder image = injector.getInstance(ImageEncoder.class);
      TextEncoder text = injector.getInstance(TextEncoder.class);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        closeQuietly(image);
        closeQuietly(text);
      }, "facet-encoders-close"));
      loaded = new Loaded(pipeline, System.nanoTime() - start);
      LOADED.put(settings, loaded);
    }
    return loaded;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // JVM exit: nothing left to report to.
    }
  }
}

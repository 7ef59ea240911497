package dev.facet.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.catalog.CatalogReader;
import dev.facet.core.FacetConfig;
import dev.facet.core.Listing;
import dev.facet.embed.CatalogReshootEncoders;
import dev.facet.embed.ComplementTraining;
import dev.facet.embed.FusedImageEncoder;
import dev.facet.embed.FusionHeadTraining;
import dev.facet.embed.ImageEncoderTrainer;
import dev.facet.embed.ModelFiles;
import dev.facet.embed.RenderedViews;
import dev.facet.embed.ResNetImageEncoder;
import dev.facet.embed.TextEncoder;
import dev.facet.embed.TrainingViews;
import dev.facet.engine.Facet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code facet train-encoder}: trains the default image encoder on a catalog's own photos. */
@Command(name = "train-encoder", mixinStandardHelpOptions = true,
    description = "Train the default ResNet image encoder on a catalog's photos (attribute heads + image-text alignment); "
        + "writes weights and a descriptor under the models directory.")
final class TrainEncoderCommand implements Callable<Integer> {
  @Option(names = "--catalog", required = true, description = "Catalog directory.")
  Path catalog;

  @Option(names = "--epochs", description = "Epochs (about 5.6 s each for 600 listings on 2 cores; about 11 s with "
      + "--complement). Default: 160, or 30 with --complement.")
  Integer epochs;

  @Option(names = "--views", description = "Re-rendered training views per listing for the instance-level term "
      + "(generated catalogs only; seeds disjoint from bench reshoot's). Default: 32 for a catalog made by "
      + "generate-samples (it has ground-truth.jsonl), else 0 (two augmentations of the catalog photo).")
  Integer views;

  @Option(names = "--input-size", description = "Side in pixels the network runs at (photos are decoded to it). "
      + "Default: ${DEFAULT-VALUE}", defaultValue = "" + ImageEncoderTrainer.Settings.DEFAULT_INPUT_SIZE)
  int inputSize;

  @Option(names = "--resnet-id", description = "Id of the trained ResNet's descriptor (models/<id>.json), so a second "
      + "network, at another --input-size say, does not replace the default one. Default: ${DEFAULT-VALUE}",
      defaultValue = ResNetImageEncoder.DEFAULT_ID)
  String resnetId;

  @Option(names = "--fusion-head", description = "Instead of the ResNet, train a linear head over the frozen parts of a "
      + "fixed-weight fused image model (--head-from), started at its fixed fusion; writes models/<--head-id>.json.")
  boolean fusionHead;

  @Option(names = "--head-from", description = "Fixed-weight fused descriptor whose parts the head maps, or whose ResNet part "
      + "--complement tunes. Default: ${DEFAULT-VALUE}",
      defaultValue = FusedImageEncoder.FIXED_ID)
  String headFrom;

  @Option(names = "--head-id", description = "Id of the trained head's descriptor. Default: ${DEFAULT-VALUE}",
      defaultValue = FusedImageEncoder.TRAINED_ID)
  String headId;

  @Option(names = "--head-epochs", description = "Epochs of the head. Default: ${DEFAULT-VALUE}", defaultValue = "60")
  int headEpochs;

  @Option(names = "--reshoots", description = "Re-shoots of each catalog photo (crop, rotation, jitter) among the head's "
      + "training photos. Default: ${DEFAULT-VALUE}", defaultValue = "2")
  int reshoots;

  @Option(names = "--anchors", split = ",", description = "Strengths of the pull towards the fixed fusion to try; the best on "
      + "the validation listings among those keeping its re-shoot top-1 within 0.01 of the fixed fusion's is kept. "
      + "Default: ${DEFAULT-VALUE}", defaultValue = "0.0003,0.003,0.03,0.3,1,3")
  List<Float> anchors;

  @Option(names = "--complement", description = "Instead of training the ResNet alone, fine-tune the ResNet part of a "
      + "fixed-weight fused model (--head-from) for its share of the fused cosine, next to the frozen trunk; writes "
      + "models/" + ComplementTraining.RESNET_ID + ".json and models/" + ComplementTraining.FUSED_ID + ".json.")
  boolean complement;

  @Option(names = "--learning-rate", description = "Peak learning rate of the ResNet. Default: 2e-3, or 5e-4 with --complement.")
  Float learningRate;

  @Option(names = "--complement-temperature", description = "Temperature of the fused instance term. Default: ${DEFAULT-VALUE}",
      defaultValue = "0.05")
  float complementTemperature;

  @Option(names = "--complement-weight", description = "Weight of the fused instance and shared-attribute terms in the loss. "
      + "Default: ${DEFAULT-VALUE}", defaultValue = "2")
  float complementWeight;

  @Option(names = "--feature-cache", description = "File keeping the head's frozen features between runs (read when it "
      + "holds the same catalog, parts and views).")
  Path featureCache;

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (common.imageModel != null) {
      // The option comes with the shared options; silently training the default network instead of
      // the named one would overwrite its weights.
      throw new ParameterException(spec.commandLine(), "--image-model does not apply to train-encoder: it trains the "
          + "catalog ResNet (" + ResNetImageEncoder.DEFAULT_ID + "); a TorchScript model is used as exported");
    }
    for (String id : List.of(resnetId, headId)) {
      // Here before the catalog is read and hours of training start; the trainers' options check it too.
      try {
        ModelFiles.requireWritableId(id);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if ((fusionHead || complement) && !ResNetImageEncoder.DEFAULT_ID.equals(resnetId)) {
      throw new ParameterException(spec.commandLine(), "--resnet-id names the network plain training writes; --fusion-head "
          + "writes --head-id, --complement writes " + ComplementTraining.RESNET_ID);
    }
    if (fusionHead && complement) {
      throw new ParameterException(spec.commandLine(), "--fusion-head and --complement train different things; choose one");
    }
    FacetConfig config = common.config(catalog);
    Injector injector = Guice.createInjector(Facet.modules(config));
    try (Facet facet = injector.getInstance(Facet.class)) {
      CatalogReader reader = facet.catalogReader();
      Path file = reader.locate(catalog).listings();
      List<Listing> listings = new ArrayList<>();
      reader.readListings(file, listings::add, e -> System.err.println("skipped: " + e));
      float lr = learningRate != null ? learningRate : complement ? 5e-4f : 2e-3f;
      int epochCount = epochs != null ? epochs : complement ? 30 : 160;
      ImageEncoderTrainer.Settings settings = new ImageEncoderTrainer.Settings(epochCount, config.seed(), 32, inputSize, lr,
          0.1, config.threads(), config.device());
      Path catalogDir = file.toAbsolutePath().getParent();
      boolean generated = Files.isRegularFile(catalogDir.resolve("ground-truth.jsonl"));
      int viewCount = views != null ? views : generated ? (fusionHead || complement ? 3 : 32) : 0;
      TrainingViews trainingViews = viewCount > 0 ? new RenderedViews(viewCount) : TrainingViews.none();
      if (fusionHead) {
        return trainHead(config, injector, listings, catalogDir, trainingViews);
      }
      if (complement) {
        return trainComplement(config, injector, listings, catalogDir, trainingViews, lr, epochCount);
      }
      ImageEncoderTrainer.TrainReport report = ImageEncoderTrainer.train(listings,
          l -> CatalogReader.resolveImage(catalogDir, l.primaryImage()),
          injector.getInstance(TextEncoder.class), config.modelsDir(), settings, trainingViews, resnetId, System.out::println);
      System.out.printf("trained on %d images (%d held out, %d rejected) in %.0f s; held-out accuracy %s; "
          + "image-to-text top-1 %.3f; catalog kNN@10 agreement category %.3f material %.3f; check re-shoot top-5 %.3f"
          + "%nweights %s (%d bytes, sha256 %s)%n", report.trainImages(), report.validationImages(),
          report.rejected(), report.seconds(), report.validationAccuracy(), report.validationImageToText(),
          report.agreement().category(), report.agreement().material(), report.checkTop5(),
          report.weights(), report.weightBytes(), report.sha256());
      return 0;
    }
  }

  private int trainComplement(FacetConfig config, Injector injector, List<Listing> listings, Path catalogDir,
      TrainingViews trainingViews, float lr, int epochCount) {
    List<byte[]> photos = CatalogReshootEncoders.primaryImages(listings, l -> CatalogReader.resolveImage(catalogDir, l.primaryImage()));
    ComplementTraining.Options options = new ComplementTraining.Options(headFrom, ComplementTraining.RESNET_ID,
        ComplementTraining.FUSED_ID, trainingViews, reshoots, epochCount, lr, complementTemperature, complementWeight, config.seed(),
        config.threads(), config.device(), featureCache);
    ImageEncoderTrainer.TrainReport report = ComplementTraining.run(listings, photos, injector.getInstance(TextEncoder.class),
        config.modelsDir(), options, System.out::println);
    System.out.printf("tuned the ResNet part on %d listings (%d held out) in %.0f s; ResNet alone: catalog kNN@10 agreement "
        + "category %.3f material %.3f, check re-shoot top-5 %.3f%nweights %s (sha256 %s)%n", report.trainImages(),
        report.validationImages(), report.seconds(), report.agreement().category(), report.agreement().material(),
        report.checkTop5(), report.weights(), report.sha256());
    return 0;
  }

  private int trainHead(FacetConfig config, Injector injector, List<Listing> listings, Path catalogDir, TrainingViews trainingViews) {
    List<byte[]> photos = CatalogReshootEncoders.primaryImages(listings, l -> CatalogReader.resolveImage(catalogDir, l.primaryImage()));
    FusionHeadTraining.Options options = new FusionHeadTraining.Options(headFrom, headId, trainingViews, reshoots, anchors,
        headEpochs, config.seed(), 0.1, config.threads(), config.device(), featureCache);
    FusionHeadTraining.Report report = FusionHeadTraining.run(listings, photos, injector.getInstance(TextEncoder.class),
        config.modelsDir(), options, System.out::println);
    System.out.printf("fusion head trained on %d listings (%d held out, %d photos each) in %.0f s, anchor %s; "
        + "descriptor %s, weights %s (sha256 %s)%n", report.trainListings(), report.validationListings(), report.viewsPerListing(),
        report.seconds(), report.anchor(), report.descriptor(), report.weights(), report.sha256());
    return 0;
  }
}

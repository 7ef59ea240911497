package dev.facet.embed;

import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Listing;

/**
 * Training views of a generated catalog ({@code facet generate-samples}): the same product
 * re-rendered by {@link SampleCatalogGenerator} with variant seeds from its training band
 * ({@link SampleCatalogGenerator#trainingVariant}), JPEG-encoded as the catalog photos are. The
 * band is disjoint from the seeds of {@code facet bench reshoot} and the tests, so the re-shoot hit
 * rate stays a held-out measurement. Only meaningful for generated catalogs: for real photos the
 * renderer would draw a different object.
 */
public final class RenderedViews implements TrainingViews {
  private final SampleCatalogGenerator generator = new SampleCatalogGenerator();
  private final int count;

  /** {@code count} re-rendered views per listing, at least 1. */
  public RenderedViews(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one view, got " + count);
    }
    this.count = count;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public byte[] photo(Listing listing, int view) {
    if (view < 0 || view >= count) {
      throw new IndexOutOfBoundsException("view " + view + " of " + count);
    }
    return SampleCatalogGenerator.jpeg(generator.renderPhoto(listing, SampleCatalogGenerator.trainingVariant(listing.id(), view)));
  }

  @Override
  public byte[] checkPhoto(Listing listing) {
    return SampleCatalogGenerator.jpeg(generator.renderPhoto(listing, SampleCatalogGenerator.checkVariant(listing.id())));
  }

  @Override
  public String describe() {
    return count + " re-rendered views per listing (SampleCatalogGenerator.trainingVariant seeds, band 0xA7 of bits 40-47; "
        + "disjoint from bench reshoot and test seeds)";
  }
}

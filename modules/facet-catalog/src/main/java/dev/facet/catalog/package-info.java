/**
 * Catalog input: streaming readers and validation of listings, interactions (Facet JSONL/CSV and the
 * Taobao User Behavior CSV) and user profiles, reject reporting, and the Guice bindings. Start at
 * {@link dev.facet.catalog.CatalogReader}.
 *
 * <p>Input is treated as hostile: record and field sizes, id characters and encoding are bounded
 * per record ({@code ListingParser}, {@code CsvRecordSource}), image paths stay inside the catalog
 * ({@link dev.facet.catalog.CatalogImagePaths}) and images within {@link
 * dev.facet.catalog.image.ImageLimits}; the README's "Hostile input" table lists every limit.
 */
package dev.facet.catalog;

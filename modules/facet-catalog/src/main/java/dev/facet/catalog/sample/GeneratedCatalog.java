package dev.facet.catalog.sample;

import java.nio.file.Path;

/**
 * What {@link SampleCatalogGenerator#generate} wrote.
 *
 * @param dir output directory
 * @param listings listings written (one photo each)
 * @param users users written
 * @param events interactions written
 * @param coldItems listings that received no event by construction
 * @param coldUsers users with only one or two events by construction
 */
public record GeneratedCatalog(Path dir, int listings, int users, long events, int coldItems, int coldUsers) {}

/**
 * The deterministic sample jewelry catalog: listings, rendered photos, simulated shoppers and their
 * ground truth. Start at {@link dev.facet.catalog.sample.SampleCatalogGenerator}.
 */
package dev.facet.catalog.sample;

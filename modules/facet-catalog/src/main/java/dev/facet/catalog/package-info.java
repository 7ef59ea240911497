/**
 * Catalog input: streaming readers and validation of listings, interactions (Facet JSONL/CSV and the
 * Taobao User Behavior CSV) and user profiles, reject reporting, and the Guice bindings. Start at
 * {@link dev.facet.catalog.CatalogReader}.
 */
package dev.facet.catalog;

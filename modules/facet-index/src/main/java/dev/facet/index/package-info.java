/**
 * The Lucene catalog index of Facet: {@link dev.facet.index.CatalogIndex} (schema, upsert/delete, near-real-time
 * search, KNN with pre-filters, BM25 over Chinese and English analysis, reciprocal-rank-fusion hybrid, commit
 * points with user data), the backend-neutral {@link dev.facet.index.CatalogSearch} contract, the Guice {@link
 * dev.facet.index.IndexModule} and the {@link dev.facet.index.IndexBenchmark}.
 */
package dev.facet.index;

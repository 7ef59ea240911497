/**
 * The Lucene catalog index of Facet: {@link dev.facet.index.CatalogIndex} (schema, upsert/delete, near-real-time
 * search, KNN with pre-filters, BM25 over Chinese and English analysis, reciprocal-rank-fusion hybrid, commit
 * points with user data), the backend-neutral {@link dev.facet.index.CatalogSearch} contract and the Guice {@link
 * dev.facet.index.IndexModule}. Its benchmark lives in {@code facet-bench}.
 */
package dev.facet.index;

package dev.facet.solr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Filter;
import dev.facet.index.IndexSettings;
import dev.facet.index.VectorField;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.junit.jupiter.api.Test;

/** The argument rules of the contract hold before any request is sent (no Solr runs here). */
class SolrCatalogSearchChecksTest {
  @Test
  void knnAndHybridRejectWhatTheEmbeddedIndexRejects() throws Exception {
    try (Http2SolrClient client = new Http2SolrClient.Builder("http://127.0.0.1:9/solr").build()) {
      SolrCatalogSearch solr = new SolrCatalogSearch(client, "facet", 5, IndexSettings.defaults(4, 3, 2));
      assertThatThrownBy(() -> solr.knn(VectorField.IMAGE, new float[3], 10, Filter.NONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 dimensions, the index expects 4");
      assertThatThrownBy(() -> solr.knn(VectorField.JOINT, new float[] {1f, Float.NaN}, 10, Filter.NONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
      assertThatThrownBy(() -> solr.knn(VectorField.IMAGE, new float[4], 0, Filter.NONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be in [1, 1000]");
      assertThatThrownBy(() -> solr.hybrid("ring", new float[4], 10, Filter.NONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the index expects 3");
    }
  }
}

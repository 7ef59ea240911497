package dev.facet.solr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.facet.core.Listing;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/** {@link IndexedListing} ⇄ Solr documents. */
final class SolrDocs {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SolrDocs() {}

  static SolrInputDocument toSolr(IndexedListing item) {
    Listing l = item.listing();
    SolrInputDocument d = new SolrInputDocument();
    d.setField(SolrConfigset.ID, l.id());
    d.setField(SolrConfigset.CONTENT_HASH, item.contentHash());
    d.setField(SolrConfigset.TITLE, l.title());
    setIfPresent(d, SolrConfigset.TITLE_EN, l.titleEn());
    setIfPresent(d, SolrConfigset.DESCRIPTION, l.description());
    d.setField(SolrConfigset.CATEGORY, l.category());
    setIfPresent(d, SolrConfigset.MATERIAL, l.material());
    setIfPresent(d, SolrConfigset.GEMSTONE, l.gemstone());
    setIfPresent(d, SolrConfigset.COLOR, l.color());
    setIfPresent(d, SolrConfigset.STYLE, l.style());
    setIfPresent(d, SolrConfigset.MERCHANT, l.merchant());
    d.setField(SolrConfigset.PRICE, l.price());
    d.setField(SolrConfigset.IN_STOCK, l.inStock());
    d.setField(SolrConfigset.PRIMARY_IMAGE, l.primaryImage());
    try {
      d.setField(SolrConfigset.LISTING_JSON, JSON.writeValueAsString(l));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    setVector(d, VectorField.IMAGE, item.image());
    setVector(d, VectorField.TEXT, item.text());
    setVector(d, VectorField.FUSED, item.fused());
    setVector(d, VectorField.JOINT, item.joint());
    return d;
  }

  static IndexedListing fromSolr(SolrDocument d) {
    try {
      Listing listing = JSON.readValue((String) d.getFirstValue(SolrConfigset.LISTING_JSON), Listing.class);
      return new IndexedListing(listing, (String) d.getFirstValue(SolrConfigset.CONTENT_HASH),
          vector(d, VectorField.IMAGE), vector(d, VectorField.TEXT), vector(d, VectorField.JOINT));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void setIfPresent(SolrInputDocument d, String field, Object value) {
    if (value != null) {
      d.setField(field, value);
    }
  }

  private static void setVector(SolrInputDocument d, VectorField field, float[] v) {
    if (v == null) {
      return;
    }
    List<Float> list = new ArrayList<>(v.length);
    for (float x : v) {
      list.add(x);
    }
    d.setField(field.fieldName(), list);
  }

  private static float[] vector(SolrDocument d, VectorField field) {
    Collection<Object> values = d.getFieldValues(field.fieldName());
    if (values == null || values.isEmpty()) {
      return null;
    }
    float[] out = new float[values.size()];
    int i = 0;
    for (Object o : values) {
      out[i++] = ((Number) o).floatValue();
    }
    return out;
  }
}

package dev.facet.index;

import dev.facet.core.Filter;
import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;

/** Field names of a catalog document, document construction and filter translation. */
final class CatalogSchema {
  static final String ID = "id";
  static final String LISTING = "listing";
  static final String CONTENT_HASH = "content_hash";
  static final String HIT_TITLE = "hit_title";
  static final String HIT_PRICE = "hit_price";
  static final String HIT_IMAGE = "hit_image";
  static final String CATEGORY = "category";
  static final String MATERIAL = "material";
  static final String GEMSTONE = "gemstone";
  static final String COLOR = "color";
  static final String STYLE = "style";
  static final String MERCHANT = "merchant";
  static final String PRICE = "price";
  static final String IN_STOCK = "in_stock";

  /** Stored fields needed to build a search hit. */
  static final Set<String> HIT_FIELDS = Set.of(ID, HIT_TITLE, HIT_PRICE, HIT_IMAGE);
  /** Stored fields needed to rebuild an {@link IndexedListing} (vectors come from the vector values). */
  static final Set<String> FULL_FIELDS = Set.of(ID, LISTING, CONTENT_HASH);

  private static final float UNIT_TOLERANCE = 1e-3f;

  private CatalogSchema() {}

  static VectorSimilarityFunction similarity(VectorField field) {
    return field == VectorField.JOINT
        ? VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT
        : VectorSimilarityFunction.DOT_PRODUCT;
  }

  /** Checks a vector against its field's dimension (and unit length, except for JOINT). */
  static void checkVector(String id, VectorField field, float[] v, IndexSettings settings) {
    int dims = settings.dims(field);
    if (v.length != dims) {
      throw new IllegalArgumentException("listing " + id + ": " + field.fieldName() + " vector has " + v.length
          + " dimensions, the index expects " + dims);
    }
    double norm2 = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("listing " + id + ": " + field.fieldName() + " vector has a non-finite value");
      }
      norm2 += (double) x * x;
    }
    if (field != VectorField.JOINT && Math.abs(norm2 - 1) > UNIT_TOLERANCE) {
      throw new IllegalArgumentException("listing " + id + ": " + field.fieldName()
          + " vector must be L2-normalized, its squared norm is " + norm2);
    }
  }

  static Document toDocument(IndexedListing il, IndexSettings settings) {
    Listing l = il.listing();
    String id = l.id();
    if (il.image() != null) {
      checkVector(id, VectorField.IMAGE, il.image(), settings);
    }
    if (il.text() != null) {
      checkVector(id, VectorField.TEXT, il.text(), settings);
    }
    if (il.joint() != null) {
      checkVector(id, VectorField.JOINT, il.joint(), settings);
    }
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new SortedDocValuesField(ID, new BytesRef(id)));
    doc.add(new StoredField(LISTING, ListingJson.write(l)));
    doc.add(new KeywordField(CONTENT_HASH, il.contentHash(), Field.Store.YES));
    doc.add(new StoredField(HIT_TITLE, l.title()));
    doc.add(new StoredField(HIT_PRICE, l.price()));
    doc.add(new StoredField(HIT_IMAGE, l.primaryImage()));
    addText(doc, "title", l.title());
    addText(doc, "title_en", l.titleEn());
    addText(doc, "description", l.description());
    addKeyword(doc, CATEGORY, l.category());
    addKeyword(doc, MATERIAL, l.material());
    addKeyword(doc, GEMSTONE, l.gemstone());
    addKeyword(doc, COLOR, l.color());
    addKeyword(doc, STYLE, l.style());
    addKeyword(doc, MERCHANT, l.merchant());
    doc.add(new DoubleField(PRICE, l.price() + 0.0, Field.Store.NO)); // + 0.0 folds -0.0 into 0.0
    doc.add(new IntField(IN_STOCK, l.inStock() ? 1 : 0, Field.Store.NO));
    addVector(doc, VectorField.IMAGE, il.image());
    addVector(doc, VectorField.TEXT, il.text());
    addVector(doc, VectorField.FUSED, il.fused());
    addVector(doc, VectorField.JOINT, il.joint());
    return doc;
  }

  private static void addText(Document doc, String source, String value) {
    if (value != null && !value.isBlank()) {
      doc.add(new TextField(source + CatalogAnalyzers.ZH, value, Field.Store.NO));
      doc.add(new TextField(source + CatalogAnalyzers.EN, value, Field.Store.NO));
    }
  }

  private static void addKeyword(Document doc, String field, String value) {
    if (value != null) {
      doc.add(new KeywordField(field, value, Field.Store.NO));
    }
  }

  private static void addVector(Document doc, VectorField field, float[] v) {
    if (v != null) {
      doc.add(new KnnFloatVectorField(field.fieldName(), v, similarity(field)));
    }
  }

  static Term idTerm(String id) {
    return new Term(ID, id);
  }

  /**
   * The pre-filter query for a filter and exclusions, or null when nothing is restricted. Agrees with {@link
   * Filter#matches}: inclusive price bounds, a null attribute never matches a non-empty set.
   */
  static Query filterQuery(Filter filter, Collection<String> excludeIds) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    if (filter.minPrice() != null || filter.maxPrice() != null) {
      double min = filter.minPrice() == null ? Double.NEGATIVE_INFINITY : filter.minPrice() + 0.0;
      double max = filter.maxPrice() == null ? Double.POSITIVE_INFINITY : filter.maxPrice() + 0.0;
      b.add(DoubleField.newRangeQuery(PRICE, min, max), Occur.FILTER);
      any = true;
    }
    any |= addSet(b, CATEGORY, filter.categories());
    any |= addSet(b, MATERIAL, filter.materials());
    any |= addSet(b, GEMSTONE, filter.gemstones());
    any |= addSet(b, MERCHANT, filter.merchants());
    if (filter.inStockOnly()) {
      b.add(IntField.newExactQuery(IN_STOCK, 1), Occur.FILTER);
      any = true;
    }
    if (!excludeIds.isEmpty()) {
      if (!any) {
        b.add(MatchAllDocsQuery.INSTANCE, Occur.FILTER);
      }
      b.add(new TermInSetQuery(ID, toBytesRefs(excludeIds)), Occur.MUST_NOT);
      any = true;
    }
    return any ? b.build() : null;
  }

  private static boolean addSet(BooleanQuery.Builder b, String field, Set<String> values) {
    if (values.isEmpty()) {
      return false;
    }
    b.add(KeywordField.newSetQuery(field, toBytesRefs(values)), Occur.FILTER);
    return true;
  }

  private static List<BytesRef> toBytesRefs(Collection<String> values) {
    List<BytesRef> out = new ArrayList<>(values.size());
    for (String v : values) {
      out.add(new BytesRef(v));
    }
    return out;
  }
}

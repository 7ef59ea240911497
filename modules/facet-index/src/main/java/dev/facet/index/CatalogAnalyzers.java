package dev.facet.index;

import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.icu.ICUNormalizer2Filter;
import org.apache.lucene.analysis.icu.segmentation.DefaultICUTokenizerConfig;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;

/**
 * Text analysis of the catalog: every text source field is indexed twice, once with a Chinese-aware ICU
 * analyzer (ICU tokenizer with dictionary-based CJK word segmentation, NFKC case folding, which also lowercases
 * and folds full-width forms) into {@code <field>_zh}, once with Lucene's English analyzer (standard tokenizer,
 * lowercase, stop words, Porter stemming) into {@code <field>_en}.
 */
final class CatalogAnalyzers {
  /** Source fields of full-text search, with their BM25 boost. */
  static final Map<String, Float> TEXT_SOURCES = Map.of("title", 3f, "title_en", 2f, "description", 1f);

  static final String ZH = "_zh";
  static final String EN = "_en";

  private CatalogAnalyzers() {}

  /** The Chinese-aware analyzer. */
  static Analyzer chinese() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new ICUTokenizer(new DefaultICUTokenizerConfig(true, true));
        TokenStream stream = new ICUNormalizer2Filter(tokenizer);
        return new TokenStreamComponents(tokenizer, stream);
      }
    };
  }

  /** The per-field analyzer for indexing; keyword fields are not analysed. */
  static Analyzer perField(Analyzer chinese, Analyzer english) {
    Map<String, Analyzer> fields = new HashMap<>();
    for (String source : TEXT_SOURCES.keySet()) {
      fields.put(source + ZH, chinese);
      fields.put(source + EN, english);
    }
    return new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), fields);
  }

  static Analyzer english() {
    return new EnglishAnalyzer();
  }
}

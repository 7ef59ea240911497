package dev.facet.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.BackgroundPriority;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Merges run on Lucene merge threads below the priority of the thread that indexes. */
class BackgroundMergesTest {
  @Test
  void mergeThreadsRunTenNiceValuesBelowTheIndexingThread() throws Exception {
    Assumptions.assumeTrue(BackgroundPriority.currentNice().isPresent(), "thread priorities are only set on Linux with libc");
    int caller = BackgroundPriority.currentNice().getAsInt();
    List<String> seen = new CopyOnWriteArrayList<>();
    // The merged-segment warmer runs on the thread that merged.
    IndexWriterConfig config = new IndexWriterConfig()
        .setMergeScheduler(new BackgroundMerges())
        .setReaderPooling(true)
        .setMergedSegmentWarmer(reader -> seen.add(Thread.currentThread().getName() + " nice "
            + BackgroundPriority.currentNice().getAsInt()));
    try (Directory dir = new ByteBuffersDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < 12; i++) {
        Document doc = new Document();
        doc.add(new StringField("id", "L-" + i, Field.Store.NO));
        writer.addDocument(doc);
        writer.flush(); // one segment per document
      }
      writer.forceMerge(1);
      assertThat(writer.getDocStats().numDocs).isEqualTo(12);
    }
    assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s)
        .startsWith("Lucene Merge Thread #").endsWith(" nice " + Math.min(19, caller + BackgroundMerges.STEPS)));
    assertThat(BackgroundPriority.currentNice().getAsInt()).as("the indexing thread keeps its priority").isEqualTo(caller);
  }
}

package dev.facet.index;

import dev.facet.core.BackgroundPriority;
import java.io.IOException;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy.OneMerge;

/**
 * Lucene's concurrent merges on threads {@value #STEPS} nice values below the thread that opened the
 * index (not below the thread that starts a merge: Lucene starts the next merge from a finishing
 * merge thread, and lowering relative to that would compound). A serving engine merges while it
 * answers: sampled in {@code facet bench live}, the merges a 10,000-listing update set off ran at
 * the requests' priority on both cores for seconds at a time. With nothing else running a lower
 * priority costs a merge nothing.
 */
final class BackgroundMerges extends ConcurrentMergeScheduler {
  /** How far below the index's opener a merge thread runs (also the HNSW graph-merge workers). */
  static final int STEPS = 10;

  /** Nice value of the merge threads, or -1 where nice values cannot be set. */
  private final int nice = BackgroundPriority.niceBelowCurrent(STEPS);

  @Override
  protected synchronized MergeThread getMergeThread(MergeSource mergeSource, OneMerge merge) throws IOException {
    MergeThread thread = new MergeThread(mergeSource, merge) {
      @Override
      public void run() {
        if (nice >= 0) {
          BackgroundPriority.lowerCurrentThread(nice);
        }
        super.run();
      }
    };
    thread.setDaemon(true);
    thread.setName("Lucene Merge Thread #" + mergeThreadCounter++);
    return thread;
  }
}

package dev.facet.solr;

import dev.facet.index.IndexSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;

/** Creating Facet's collection on a SolrCloud cluster over SolrJ (HTTP only, no ZooKeeper client). */
public final class SolrCollections {
  private SolrCollections() {}

  /** A cloud client that reads the cluster state from the given nodes. */
  public static CloudHttp2SolrClient client(List<String> solrUrls) {
    return new CloudHttp2SolrClient.Builder(solrUrls).build();
  }

  /**
   * Uploads the configset generated for {@code settings} (as {@code name}, overwriting) and creates the
   * collection {@code name} with it.
   */
  public static void create(SolrClient client, String name, IndexSettings settings, int shards, int replicas) {
    try {
      Path zip = Files.createTempFile("facet-configset", ".zip");
      try {
        Files.write(zip, SolrConfigset.zip(settings));
        new ConfigSetAdminRequest.Upload().setConfigSetName(name).setOverwrite(true)
            .setUploadFile(zip.toFile(), "application/zip").process(client);
      } finally {
        Files.deleteIfExists(zip);
      }
      CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(name, name, shards, replicas);
      create.setWaitForFinalState(true);
      create.process(client);
    } catch (SolrServerException e) {
      throw new IllegalStateException("creating collection " + name + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

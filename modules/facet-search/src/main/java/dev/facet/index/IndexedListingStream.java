package dev.facet.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * A stream of {@link IndexedListing}s between processes: one record per listing (its JSON, content hash and
 * vectors), then an end marker. {@code facet solr-load} writes the embedded index's listings this way into
 * the child JVM that loads SolrCloud, so that JVM needs no Lucene.
 */
public final class IndexedListingStream {
  private static final int RECORD = 1;
  private static final int END = 0;

  private IndexedListingStream() {}

  /** Writes one listing. */
  public static void write(DataOutputStream out, IndexedListing doc) throws IOException {
    out.writeByte(RECORD);
    writeLong(out, ListingJson.write(doc.listing()));
    out.writeUTF(doc.contentHash());
    writeVector(out, doc.image());
    writeVector(out, doc.text());
    writeVector(out, doc.joint());
  }

  /** Writes the end marker, after which {@link #read} returns null. */
  public static void end(DataOutputStream out) throws IOException {
    out.writeByte(END);
    out.flush();
  }

  /**
   * The next listing, or null at the end marker.
   *
   * @throws EOFException when the stream ends without the marker (the writer died mid-way)
   */
  public static IndexedListing read(DataInputStream in) throws IOException {
    int tag = in.readByte();
    if (tag == END) {
      return null;
    }
    if (tag != RECORD) {
      throw new IOException("not an indexed-listing stream (record tag " + tag + ")");
    }
    String json = readLong(in);
    String hash = in.readUTF();
    return new IndexedListing(ListingJson.read(json), hash, readVector(in), readVector(in), readVector(in));
  }

  /** writeUTF stops at 64 KB; a listing's description may be longer. */
  private static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readLong(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void writeVector(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v == null ? -1 : v.length);
    if (v != null) {
      for (float x : v) {
        out.writeFloat(x);
      }
    }
  }

  private static float[] readVector(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }
}

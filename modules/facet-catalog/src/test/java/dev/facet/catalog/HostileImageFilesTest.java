package dev.facet.catalog;

import static dev.facet.catalog.ListingReaderTest.GOOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.catalog.image.TestImages;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files a hostile catalog points at: outside the catalog, special files, a bad second image. */
class HostileImageFilesTest {
  @TempDir Path tmp;
  Path catalog;
  Path outside;
  final CatalogReader reader = new CatalogReader(ListingReaderTest.PIPELINE, 2);

  @BeforeEach
  void setUp() throws IOException {
    catalog = Files.createDirectories(tmp.resolve("catalog"));
    Files.createDirectories(catalog.resolve("images"));
    outside = Files.createDirectories(tmp.resolve("elsewhere"));
    byte[] jpeg = TestImages.encode(TestImages.random(120, 100, 5), "jpg");
    Files.write(catalog.resolve("images/ok.jpg"), jpeg);
    Files.write(outside.resolve("secret.jpg"), jpeg);
  }

  private static String listing(String id, String... images) {
    return GOOD.replace("R-00012", id).replace("[\"images/" + id + ".jpg\"]", "[\"" + String.join("\",\"", images) + "\"]");
  }

  private Collected<Listing> read(ImageCheck check, String... lines) throws IOException {
    Path file = catalog.resolve("listings.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    Collected<Listing> c = new Collected<>();
    c.report = reader.readListings(file, check, c.ok(), c.bad());
    return c;
  }

  private Path mkfifo(Path path) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", path.toString()).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available: " + e.getMessage());
      return null;
    }
    Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
    return path;
  }

  @Test
  void aSymbolicLinkOutOfTheCatalogIsRefusedUnlessItsTargetIsAConfiguredRoot() throws Exception {
    Files.createSymbolicLink(catalog.resolve("images/leak.jpg"), outside.resolve("secret.jpg"));
    Files.createSymbolicLink(catalog.resolve("images/alias.jpg"), catalog.resolve("images/ok.jpg"));
    for (ImageCheck check : List.of(ImageCheck.HEADERS, ImageCheck.DECODE)) {
      Collected<Listing> c = read(check, listing("A", "images/ok.jpg"), listing("B", "images/leak.jpg"), listing("C", "images/alias.jpg"));
      assertThat(c.accepted).extracting(Listing::id).containsExactly("A", "C");
      assertThat(c.only().recordId()).isEqualTo("B");
      assertThat(c.only().line()).isEqualTo(2);
      assertThat(c.only().reason()).isEqualTo("image path leads outside the catalog directory (through a symbolic link): images/leak.jpg");
    }
    System.setProperty(CatalogImagePaths.ROOTS_PROPERTY, "/nonexistent" + java.io.File.pathSeparator + outside);
    try {
      assertThat(read(ImageCheck.DECODE, listing("B", "images/leak.jpg")).accepted).hasSize(1);
    } finally {
      System.clearProperty(CatalogImagePaths.ROOTS_PROPERTY);
    }
  }

  @Test
  void specialFilesAsImagesAreRejectedWithoutBlocking() throws Exception {
    mkfifo(catalog.resolve("images/fifo.jpg"));
    Files.createSymbolicLink(catalog.resolve("images/zero.jpg"), Path.of("/dev/zero"));
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (ImageCheck check : List.of(ImageCheck.HEADERS, ImageCheck.DECODE)) {
        Collected<Listing> c = read(check, listing("A", "images/fifo.jpg"), listing("B", "images/zero.jpg"), listing("C", "images/ok.jpg"));
        assertThat(c.accepted).extracting(Listing::id).containsExactly("C");
        assertThat(c.rejected.get(0).reason()).contains("not a regular file");
        assertThat(c.rejected.get(1).reason()).contains("outside the catalog directory");
      }
      Listing fifo = new Listing("F", "t", null, null, "ring", null, null, null, null, 1, null, null, List.of("images/fifo.jpg"), true, Map.of());
      assertThatThrownBy(() -> ListingContentHash.of(fifo, catalog)).isInstanceOf(IOException.class).hasMessageContaining("not a regular file");
    });
  }

  @Test
  void everyImageOfAListingIsCheckedNotOnlyTheFirst() throws Exception {
    byte[] jpeg = Files.readAllBytes(catalog.resolve("images/ok.jpg"));
    Files.write(catalog.resolve("images/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    for (ImageCheck check : List.of(ImageCheck.HEADERS, ImageCheck.DECODE)) {
      Collected<Listing> c = read(check, listing("A", "images/ok.jpg", "images/cut.jpg"), listing("B", "images/ok.jpg", "images/ok.jpg"),
          listing("C", "images/ok.jpg", "images/missing.jpg"));
      assertThat(c.accepted).extracting(Listing::id).containsExactly("B");
      assertThat(c.rejected).extracting(RecordError::reason).containsExactly(
          "image truncated JPEG (no end-of-image marker): images/cut.jpg", "image missing file: images/missing.jpg");
    }
  }

  @Test
  void pathsWithIllegalCharactersAreRejectedInsideThePerRecordHandling() throws Exception {
    // A NUL in a path used to throw InvalidPathException out of the read: exit 1, nothing indexed.
    for (ImageCheck check : ImageCheck.values()) {
      Collected<Listing> c = read(check, listing("A", "images/ok.jpg"), listing("B", "images/a\\u0000.jpg"),
          listing("C", "../../../../../../etc/passwd"), listing("D", "/etc/hostname"), listing("E", "images/ok.jpg"));
      assertThat(c.accepted).extracting(Listing::id).containsExactly("A", "E");
      assertThat(c.rejected).extracting(RecordError::recordId).containsExactly("B", "C", "D");
      assertThat(c.rejected).extracting(RecordError::reason).containsExactly(
          "illegal character U+0000 at character 9 of the image path: images/a\\u0000.jpg",
          "image path leaves the catalog directory ('..'): ../../../../../../etc/passwd",
          "absolute image path (image paths are relative to the catalog directory): /etc/hostname");
    }
    assertThatThrownBy(() -> CatalogReader.resolveImage(catalog, "images/a\0.jpg")).isInstanceOf(ImageRejectedException.class);
  }
}

package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePathsTest {
  @TempDir
  Path tmp;
  Path root;

  @BeforeEach
  void catalog() throws IOException {
    root = Files.createDirectories(tmp.resolve("catalog")).toRealPath();
    Files.createDirectories(root.resolve("images"));
    Files.write(root.resolve("images/R-00001.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8});
    Files.writeString(root.resolve("listings.jsonl"), "{}");
    Files.writeString(tmp.resolve("secret.jpg"), "outside");
  }

  @Test
  void resolvesAnImageInsideTheCatalog() {
    assertThat(ImagePaths.resolve(root, "images/R-00001.jpg")).isEqualTo(root.resolve("images/R-00001.jpg"));
    assertThat(ImagePaths.resolve(root, "images/R%2D00001.jpg")).isEqualTo(root.resolve("images/R-00001.jpg"));
    assertThat(ImagePaths.contentType(root.resolve("images/R-00001.jpg"))).isEqualTo("image/jpeg");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../secret.jpg", "images/../../secret.jpg", "%2e%2e/secret.jpg", "%2E%2E/secret.jpg",
      "..%2fsecret.jpg", "..%2Fsecret.jpg", "%2e%2e%2fsecret.jpg", "..%5csecret.jpg", "..\\secret.jpg",
      "%252e%252e/secret.jpg", "/etc/passwd.jpg", "%2fetc%2fpasswd.jpg", "images//R-00001.jpg", "./images/R-00001.jpg",
      "images/R-00001.jpg%00.png", "C:/secret.jpg", "images/%zz.jpg", ""})
  void refusesTraversalAndMalformedPathsWith400(String raw) {
    assertThatThrownBy(() -> ImagePaths.resolve(root, raw))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @ParameterizedTest
  @ValueSource(strings = {"listings.jsonl", "images/missing.jpg", "images", "images/R-00001.jpg.txt"})
  void refusesNonImagesAndMissingFilesWith404(String raw) {
    assertThatThrownBy(() -> ImagePaths.resolve(root, raw))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void refusesASymlinkThatLeavesTheCatalog() throws IOException {
    Files.createSymbolicLink(root.resolve("images/escape.jpg"), tmp.resolve("secret.jpg"));
    assertThatThrownBy(() -> ImagePaths.resolve(root, "images/escape.jpg"))
        .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(404));
  }
}

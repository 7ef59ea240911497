package dev.facet.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.core.CoreModule;
import dev.facet.core.FacetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexModuleTest {
  @TempDir Path root;

  @Test
  void providesOneIndexUnderTheWorkDir() {
    FacetConfig config = FacetConfig.defaults(root);
    IndexSettings settings = TestListings.settings();
    Injector injector = Guice.createInjector(new CoreModule(config), new IndexModule(settings));
    try (CatalogIndex index = injector.getInstance(CatalogIndex.class)) {
      assertThat(injector.getInstance(CatalogSearch.class)).isSameAs(index);
      assertThat(injector.getInstance(CatalogIndex.class)).isSameAs(index);
      assertThat(index.settings()).isEqualTo(settings);
      assertThat(index.path()).isEqualTo(config.workDir().resolve("index"));
      assertThat(Files.isDirectory(root.resolve("work/index"))).isTrue();
    }
  }
}

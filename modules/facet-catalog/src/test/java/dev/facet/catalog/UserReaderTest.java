package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.UserProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserReaderTest {
  @TempDir Path dir;
  final CatalogReader reader = new CatalogReader(ListingReaderTest.PIPELINE);

  @Test
  void readsUsersAndRejectsBadOnes() throws Exception {
    Path file = dir.resolve("users.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"user\":\"u-0042\",\"age_band\":\"25-34\",\"gender\":\"f\",\"city_tier\":2}",
        "{\"user\":\"u-0043\"}",
        "{\"age_band\":\"25-34\"}",
        "{\"user\":\"u-0044\",\"city_tier\":9}",
        "{\"user\":\"u-0045\",\"city_tier\":\"two\"}",
        "{\"user\":\"u-0046\",\"city_tier\":2.5}",
        "{\"user\":\"u-0042\",\"gender\":\"m\"}",
        "{\"user\":\"u-0047\",\"gender\":[\"f\"]}",
        "not json"), StandardCharsets.UTF_8);
    Collected<UserProfile> c = new Collected<>();
    c.report = reader.readUsers(file, c.ok(), c.bad());
    assertThat(c.accepted).containsExactly(new UserProfile("u-0042", "25-34", "f", 2), new UserProfile("u-0043", null, null, null));
    assertThat(c.rejected).extracting(e -> e.line() + " " + e.recordId() + " " + ValidationReport.reasonKey(e)).containsExactly(
        "3 null user: missing required field",
        "4 u-0044 city_tier: city_tier out of range",
        "5 u-0045 city_tier: wrong type",
        "6 u-0046 city_tier: wrong type",
        "7 u-0042 user: duplicate id within the file",
        "8 u-0047 gender: wrong type",
        "9 null malformed JSON");
  }

  @Test
  void readsUsersCsv() throws Exception {
    Path file = dir.resolve("users.csv");
    Files.writeString(file, "user,age_band,gender,city_tier\nu-1,18-24,f,1\nu-2,,,\nu-3,35-44,m,x\n");
    Collected<UserProfile> c = new Collected<>();
    reader.readUsers(file, c.ok(), c.bad());
    assertThat(c.accepted).containsExactly(new UserProfile("u-1", "18-24", "f", 1), new UserProfile("u-2", null, null, null));
    assertThat(c.only().field()).isEqualTo("city_tier");
  }
}

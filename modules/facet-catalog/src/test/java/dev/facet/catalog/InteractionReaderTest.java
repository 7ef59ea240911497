package dev.facet.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import dev.facet.core.RecordError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionReaderTest {
  @TempDir Path dir;
  final CatalogReader reader = new CatalogReader(ListingReaderTest.PIPELINE);

  private Collected<Interaction> read(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Collected<Interaction> c = new Collected<>();
    c.report = reader.readInteractions(file, c.ok(), c.bad());
    return c;
  }

  private static String json(String user, String item, String event, String ts) {
    return "{\"user\":" + user + ",\"item\":" + item + ",\"event\":" + event + ",\"ts\":" + ts + "}\n";
  }

  @Test
  void readsJsonlWithEveryEventTypeAndZoneForms() throws Exception {
    String[] events = {"view", "click", "favorite", "cart", "purchase", "pv", "fav", "buy"};
    StringBuilder sb = new StringBuilder();
    for (String e : events) {
      sb.append(json("\"u-0042\"", "\"R-00012\"", "\"" + e + "\"", "\"2026-03-01T10:15:00Z\""));
    }
    sb.append(json("\"u-1\"", "\"R-1\"", "\"view\"", "\"2026-03-01T18:15:00+08:00\""));
    sb.append(json("\"u-1\"", "\"R-1\"", "\"view\"", "1772360100"));
    Collected<Interaction> c = read("interactions.jsonl", sb.toString());
    assertThat(c.rejected).isEmpty();
    assertThat(c.accepted).extracting(Interaction::event).containsExactly(EventType.VIEW, EventType.CLICK,
        EventType.FAVORITE, EventType.CART, EventType.PURCHASE, EventType.VIEW, EventType.FAVORITE, EventType.PURCHASE,
        EventType.VIEW, EventType.VIEW);
    Instant expected = Instant.parse("2026-03-01T10:15:00Z");
    assertThat(c.accepted.get(0).ts()).isEqualTo(expected);
    assertThat(c.accepted.get(8).ts()).isEqualTo(expected);
    assertThat(c.accepted.get(9).ts()).isEqualTo(Instant.ofEpochSecond(1772360100L));
  }

  @Test
  void rejectsEveryBadInteraction() throws Exception {
    String ts = "\"2026-03-01T10:15:00Z\"";
    String content = json("\"u-1\"", "\"R-1\"", "\"view\"", ts)
        + "{\"item\":\"R-1\",\"event\":\"view\",\"ts\":" + ts + "}\n"
        + "{\"user\":\"u-1\",\"event\":\"view\",\"ts\":" + ts + "}\n"
        + "{\"user\":\"u-1\",\"item\":\"R-1\",\"ts\":" + ts + "}\n"
        + "{\"user\":\"u-1\",\"item\":\"R-1\",\"event\":\"view\"}\n"
        + json("\"u-1\"", "\"R-1\"", "\"like\"", ts)
        + json("\"u-1\"", "\"R-1\"", "\"view\"", "\"yesterday\"")
        + json("\"u-1\"", "\"R-1\"", "\"view\"", "\"2026-03-01T10:15:00\"")
        + json("\"u-1\"", "\"R-1\"", "\"view\"", "\"1970-01-02T00:00:00Z\"")
        + json("\"u-1\"", "\"R-1\"", "\"view\"", "1772360100.5")
        + json("\"u-1\"", "\"R-1\"", "\"view\"", "true")
        + json("\"u-1\"", "\"R-1\"", "7", ts)
        + "{\"user\":\"u-1\",\"item\":\n";
    Collected<Interaction> c = read("interactions.jsonl", content);
    assertThat(c.accepted).hasSize(1);
    List<String> got = new ArrayList<>();
    for (RecordError e : c.rejected) {
      got.add(e.line() + " " + e.field() + " " + ValidationReport.reasonKey(e));
    }
    assertThat(got).containsExactly(
        "2 user user: missing required field",
        "3 item item: missing required field",
        "4 event event: missing required field",
        "5 ts ts: missing required field",
        "6 event event: unknown event type",
        "7 ts ts: unparsable timestamp",
        "8 ts ts: unparsable timestamp",
        "9 ts ts: timestamp out of range",
        "10 ts ts: unparsable timestamp",
        "11 ts ts: wrong type",
        "12 event event: wrong type",
        "13 null malformed JSON");
    assertThat(c.rejected.get(4).recordId()).isEqualTo("u-1/R-1");
    assertThat(c.rejected.get(4).reason()).isEqualTo("unknown event type: 'like'");
  }

  @Test
  void fastPathAndFormatterAgreeAndBothValidateDates() throws Exception {
    Random rnd = new Random(17);
    StringBuilder sb = new StringBuilder();
    List<Instant> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Instant t = Instant.ofEpochSecond(1_700_000_000L + (rnd.nextLong() & 0xFFFFFFFL));
      expected.add(t);
      // Alternate the hand-parsed form and forms that go through the formatter.
      String text = switch (i % 3) {
        case 0 -> t.toString();
        case 1 -> java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.ofHours(8)).toString();
        default -> t.toString().replace("Z", ".000Z");
      };
      sb.append(json("\"u\"", "\"i\"", "\"view\"", "\"" + text + "\""));
    }
    sb.append(json("\"u\"", "\"i\"", "\"view\"", "\"2026-02-30T10:00:00Z\""));
    sb.append(json("\"u\"", "\"i\"", "\"view\"", "\"2026-13-01T10:00:00Z\""));
    sb.append(json("\"u\"", "\"i\"", "\"view\"", "\"2026-01-01T24:00:00Z\""));
    Collected<Interaction> c = read("interactions.jsonl", sb.toString());
    assertThat(c.accepted).extracting(Interaction::ts).containsExactlyElementsOf(expected);
    assertThat(c.rejected).hasSize(3).allSatisfy(e -> assertThat(e.reason()).startsWith("unparsable timestamp"));
  }

  @Test
  void readsFacetCsv() throws Exception {
    Collected<Interaction> c = read("interactions.csv",
        "user,item,event,ts\nu-1,R-1,click,2026-01-02T03:04:05Z\nu-2,R-2,cart,1767323045\nu-3,R-3,boo,2026-01-02T03:04:05Z\n");
    assertThat(c.report.format()).isEqualTo("csv");
    assertThat(c.accepted).extracting(Interaction::event).containsExactly(EventType.CLICK, EventType.CART);
    assertThat(c.only().line()).isEqualTo(4);
  }

  @Test
  void readsTaobaoWithAndWithoutHeader() throws Exception {
    Random rnd = new Random(3);
    String[] kinds = {"pv", "fav", "cart", "buy"};
    StringBuilder rows = new StringBuilder();
    List<EventType> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String k = kinds[rnd.nextInt(4)];
      expected.add(EventType.parse(k));
      rows.append(rnd.nextInt(1_000_000)).append(',').append(rnd.nextInt(5_000_000)).append(',')
          .append(rnd.nextInt(10_000)).append(',').append(k).append(',').append(1511544070L + rnd.nextInt(800_000)).append('\n');
    }
    Collected<Interaction> bare = read("UserBehavior.csv", rows.toString());
    assertThat(bare.report.format()).isEqualTo("taobao-csv");
    assertThat(bare.rejected).isEmpty();
    assertThat(bare.accepted).extracting(Interaction::event).containsExactlyElementsOf(expected);
    Collected<Interaction> headed = read("interactions.csv", "user_id,item_id,category_id,behavior_type,timestamp\n" + rows);
    assertThat(headed.report.format()).isEqualTo("taobao-csv");
    assertThat(headed.rejected).isEmpty();
    assertThat(headed.accepted).isEqualTo(bare.accepted);
    Interaction first = bare.accepted.get(0);
    assertThat(first.ts()).isBetween(Instant.ofEpochSecond(1511544070L), Instant.ofEpochSecond(1512344070L));
  }

  @Test
  void rejectsBadTaobaoRows() throws Exception {
    Collected<Interaction> c = read("UserBehavior.csv",
        "1,2,3,pv,1511544070\n1,2,3,like,1511544070\n1,2,3,pv,-5\n1,2,3,pv\n1,2,3,buy,20171125\n");
    assertThat(c.accepted).hasSize(1);
    assertThat(c.rejected).extracting(e -> e.line() + " " + ValidationReport.reasonKey(e)).containsExactly(
        "2 event: unknown event type",
        "3 ts: unparsable timestamp",
        "4 malformed CSV",
        "5 ts: timestamp out of range");
  }
}

package dev.meshlens.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {
  @TempDir
  Path dir;

  static DiskSpool.Record rec(int i) {
    return new DiskSpool.Record("k" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8), "00-" + i);
  }

  static String value(DiskSpool.Entry e) {
    return new String(e.record().value(), StandardCharsets.UTF_8);
  }

  @Test
  void survivesRestartKeepsOrderAndIgnoresATornTail() throws Exception {
    try (DiskSpool s = new DiskSpool(dir, 1 << 20, 200)) {
      for (int i = 0; i < 10; i++) {
        s.append(rec(i));
      }
      s.sync();
      List<DiskSpool.Entry> first = s.peek(3);
      assertEquals(List.of("value-0", "value-1", "value-2"), first.stream().map(DiskSpoolTest::value).toList());
      s.commit(first.get(2), 3);
      assertEquals(7, s.depth());
    }
    // a crash while writing leaves half a record at the end of the last segment
    Path last;
    try (var files = Files.list(dir)) {
      last = files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    Files.write(last, new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND);
    try (DiskSpool s = new DiskSpool(dir, 1 << 20, 200)) {
      assertEquals(7, s.depth());
      List<DiskSpool.Entry> rest = s.peek(100);
      assertEquals(7, rest.size());
      assertEquals("value-3", value(rest.get(0)));
      assertEquals("value-9", value(rest.get(6)));
      assertEquals("k9", rest.get(6).record().key());
      assertEquals("00-9", rest.get(6).record().traceparent());
      s.commit(rest.get(6), 7);
      assertTrue(s.isEmpty());
    }
  }

  @Test
  void appendBlocksWhileFullUntilTheDrainerCommits() throws Exception {
    try (DiskSpool s = new DiskSpool(dir, 1024, 1024)) {
      int n = 0;
      while (s.bytes() + 40 < 1024) {
        s.append(rec(n++));
      }
      AtomicBoolean appended = new AtomicBoolean();
      Thread t = Thread.ofPlatform().start(() -> {
        try {
          s.append(new DiskSpool.Record("k", new byte[100], null));
          appended.set(true);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Thread.sleep(300);
      assertTrue(!appended.get(), "blocked while full (back-pressure)");
      List<DiskSpool.Entry> all = s.peek(1000);
      s.commit(all.get(all.size() - 1), all.size());
      t.join(5000);
      assertTrue(appended.get());
    }
  }
}

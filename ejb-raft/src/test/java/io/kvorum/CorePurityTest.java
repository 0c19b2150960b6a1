package io.kvorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pure cores import {@code java.*} only: no clock, no threads, no I/O frameworks, no Jakarta.
 * Rules live in the core; beans, entities and topics are adapters.
 */
class CorePurityTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern FORBIDDEN_CALLS =
      Pattern.compile(
          "System\\.(currentTimeMillis|nanoTime)|new Thread\\(|Instant\\.now|Clock\\.|"
              + "ThreadLocalRandom|Math\\.random|java\\.io\\.File|java\\.nio\\.file");

  @ParameterizedTest
  @ValueSource(strings = {"io/kvorum/raft/core", "io/kvorum/kv/core"})
  void coreImportsJavaOnlyAndDoesNoIoOrClockReads(String pkg) throws IOException {
    Path dir = Path.of("src/main/java").resolve(pkg);
    List<String> violations = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f :
            (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          String src = Files.readString(f);
          Matcher m = IMPORT.matcher(src);
          while (m.find()) {
            if (!m.group(1).startsWith("java.") || m.group(1).startsWith("java.io.File")) {
              violations.add(f.getFileName() + " imports " + m.group(1));
            }
          }
          Matcher c = FORBIDDEN_CALLS.matcher(src);
          while (c.find()) {
            violations.add(f.getFileName() + " uses " + c.group());
          }
        }
      }
    }
    assertEquals(List.of(), violations, "a pure core must import java.* only and do no I/O");
  }
}

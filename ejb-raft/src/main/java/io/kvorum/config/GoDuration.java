package io.kvorum.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's time.ParseDuration, to milliseconds: {@code 5s}, {@code 2h}, {@code 1m30s}, {@code 0}. */
final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /** Milliseconds (rounded down), or null when {@code s} is not a Go duration. */
  static Long toMillis(String s) {
    if (s.equals("0")) {
      return 0L;
    }
    if (s.isEmpty()) {
      return null;
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    double ms = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      ms += Double.parseDouble(m.group(1)) * unitMillis(m.group(2));
      at = m.end();
    }
    return (long) ms;
  }

  private static double unitMillis(String unit) {
    switch (unit) {
      case "ns":
        return 1e-6;
      case "us":
      case "µs":
        return 1e-3;
      case "ms":
        return 1;
      case "s":
        return 1_000;
      case "m":
        return 60_000;
      default:
        return 3_600_000;
    }
  }
}

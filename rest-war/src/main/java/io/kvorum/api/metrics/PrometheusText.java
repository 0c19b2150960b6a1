package io.kvorum.api.metrics;

import io.kvorum.server.ServerMetrics;

/**
 * Prometheus' text exposition format 0.0.4, as etcd's {@code /metrics} writes it: {@code # HELP}
 * and {@code # TYPE} lines, then the samples. Not thread-safe: one per scrape.
 */
final class PrometheusText {
  /** The media type of the format. */
  static final String MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);

  /** A gauge with one sample. */
  PrometheusText gauge(String name, String help, double value) {
    return family(name, help, "gauge").sample(name, "", value);
  }

  /** A gauge whose one sample carries a label and is always 1 (etcd's version and id metrics). */
  PrometheusText info(String name, String help, String label, String value) {
    return family(name, help, "gauge").sample(name, "{" + label + "=\"" + value + "\"}", 1);
  }

  /** A counter with one sample. */
  PrometheusText counter(String name, String help, double value) {
    return family(name, help, "counter").sample(name, "", value);
  }

  /** A histogram: cumulative buckets, +Inf, sum and count. */
  PrometheusText histogram(String name, String help, ServerMetrics.Histogram h) {
    family(name, help, "histogram");
    for (int i = 0; i < h.bounds().length; i++) {
      sample(name + "_bucket", "{le=\"" + number(h.bounds()[i]) + "\"}", h.cumulative()[i]);
    }
    sample(name + "_bucket", "{le=\"+Inf\"}", h.count());
    sample(name + "_sum", "", h.sumSeconds());
    return sample(name + "_count", "", h.count());
  }

  private PrometheusText family(String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  private PrometheusText sample(String name, String labels, double value) {
    out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    return this;
  }

  /** Integers without a fraction, as Go's strconv prints them; other values in full. */
  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}

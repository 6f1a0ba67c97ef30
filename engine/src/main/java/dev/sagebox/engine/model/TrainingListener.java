package dev.sagebox.engine.model;

/** Where training reports what a person watching should see. */
public interface TrainingListener {

  /** One metric line in the documented format (for SageMaker's regexes); written as is, flushed at once. */
  void metricLine(String line);

  void info(String message);

  void warn(String message);
}

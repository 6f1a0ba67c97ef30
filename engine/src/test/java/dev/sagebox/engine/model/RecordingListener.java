package dev.sagebox.engine.model;

import java.util.ArrayList;
import java.util.List;

/** A training listener for tests: keeps the metric lines, information lines and warnings it receives. */
public final class RecordingListener implements TrainingListener {
  public final List<String> metricLines = new ArrayList<>();
  public final List<String> warnings = new ArrayList<>();
  public final List<String> infos = new ArrayList<>();

  @Override
  public void metricLine(String line) {
    metricLines.add(line);
  }

  @Override
  public void info(String message) {
    infos.add(message);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
  }
}

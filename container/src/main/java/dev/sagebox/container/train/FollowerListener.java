package dev.sagebox.container.train;

import dev.sagebox.engine.model.TrainingListener;

/**
 * The listener of a host that is not the leader: its log lines pass, its metric lines do not (the leader prints
 * them, with values reduced over all hosts, so SageMaker's regexes see each round once).
 */
final class FollowerListener implements TrainingListener {
  private final TrainingListener inner;

  FollowerListener(TrainingListener inner) {
    this.inner = inner;
  }

  @Override
  public void metricLine(String line) {
    // printed by the leader
  }

  @Override
  public void info(String message) {
    inner.info(message);
  }

  @Override
  public void warn(String message) {
    inner.warn(message);
  }
}

package dev.sagebox.container.train;

import dev.sagebox.engine.model.TrainingListener;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Metric lines go to standard output as they are (SageMaker's regexes read them); the rest to the log. */
final class ConsoleTrainingListener implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.train");
  private final PrintStream out;

  ConsoleTrainingListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public void metricLine(String line) {
    out.println(line);
    out.flush();
  }

  @Override
  public void info(String message) {
    LOG.info(message);
  }

  @Override
  public void warn(String message) {
    LOG.warn(message);
  }
}

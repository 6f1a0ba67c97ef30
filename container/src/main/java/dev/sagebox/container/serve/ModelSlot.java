package dev.sagebox.container.serve;

import dev.sagebox.engine.model.Predictor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The served model and its lifecycle: loading, ready, or failed (with the reason). */
public final class ModelSlot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.serve");

  /** The states a slot moves through; only forward. */
  public sealed interface State permits Loading, Ready, Failed {}

  public record Loading() implements State {}

  public record Ready(ServedModel model) implements State {}

  public record Failed(String reason) implements State {}

  private volatile State state = new Loading();

  public State state() {
    return state;
  }

  /** Loads on a background thread so the HTTP port opens at once; /ping answers 503 until then. */
  public void loadInBackground(Supplier<ServedModel> loader) {
    Thread t = new Thread(() -> loadModel(loader), "model-loader");
    t.setDaemon(true);
    t.start();
  }

  /** Loads a table-shaped predictor on the calling thread. */
  public void load(Supplier<Predictor> loader) {
    loadModel(() -> new ServedModel.Table(loader.get()));
  }

  /** Loads any served model on the calling thread. */
  public void loadModel(Supplier<ServedModel> loader) {
    long t0 = System.nanoTime();
    try {
      ServedModel m = loader.get();
      state = new Ready(m);
      LOG.info(String.format(java.util.Locale.ROOT, "model loaded in %.3f s: %s", (System.nanoTime() - t0) / 1e9,
          m.summary()));
    } catch (RuntimeException e) {
      state = new Failed(e.getMessage());
      LOG.error("model failed to load: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    if (state instanceof Ready r) {
      state = new Failed("server is shutting down");
      r.model().close();
    }
  }
}

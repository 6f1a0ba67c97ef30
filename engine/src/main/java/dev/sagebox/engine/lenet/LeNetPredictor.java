package dev.sagebox.engine.lenet;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Serves a LeNet network: rows of 784 pixels (28x28, row-major). Values 0-255 are scaled to 0-1; rows whose values
 * are all within 0-1 are taken as already scaled. Answers {@code predicted_label} and {@code probabilities}.
 * A SameDiff session is not safe for concurrent use, so each request borrows one of a fixed number of copies of the
 * network (requests beyond that wait): at 8 concurrent single-image requests, 8 copies served 1.2-1.8x the requests
 * of one locked network and 2 copies 1.1-1.2x (benchmarks/RESULTS.md, "LeNet on SameDiff"). A copy holds the weights
 * (1.7 MB at the default widths) and its own session.
 */
final class LeNetPredictor implements Predictor {
  private final BlockingQueue<LeNetNetwork> copies;
  private final List<LeNetNetwork> all = new ArrayList<>();
  private final ModelManifest manifest;

  /** Serves {@code weights} with {@code copies} networks (requests beyond that wait for a free one). */
  LeNetPredictor(LeNetWeights weights, int copies, ModelManifest manifest) {
    this.copies = new ArrayBlockingQueue<>(copies);
    for (int i = 0; i < copies; i++) {
      LeNetNetwork net = LeNetNetwork.fromWeights(weights);
      all.add(net);
      this.copies.add(net);
    }
    this.manifest = manifest;
  }

  /** Copies a served model gets: 8, the best measured at 8 concurrent requests. */
  static int defaultCopies() {
    return 8;
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Predictions predict(Batch batch) {
    float[] x = LeNetRequests.scaledPixels(batch);
    int n = batch.rows();
    float[] probs;
    LeNetNetwork net = borrow();
    try {
      probs = net.probabilities(x, n);
    } finally {
      copies.add(net);
    }
    return LeNetRequests.answer(probs, n);
  }

  private LeNetNetwork borrow() {
    try {
      return copies.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free LeNet network", e);
    }
  }

  @Override
  public void close() {
    all.forEach(LeNetNetwork::close);
  }
}

package dev.sagebox.engine.lenet;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * A LeNet network on SameDiff ({@link LeNetGraph}): training steps, class probabilities and its weights. Not safe
 * for concurrent use (a SameDiff session is not); callers serialise.
 */
final class LeNetNetwork implements AutoCloseable {
  /** Images per forward pass when scoring many: bounds the activations' memory (20x24x24 floats per image). */
  static final int CHUNK = 1000;
  private final SameDiff sd;

  LeNetNetwork(SameDiff sd) {
    this.sd = sd;
  }

  /** A network holding {@code weights}: the way in for fresh, converted and saved weights. */
  static LeNetNetwork fromWeights(LeNetWeights weights) {
    return new LeNetNetwork(LeNetGraph.build(weights));
  }

  /** Fresh, seeded weights for {@code p}'s widths. */
  static LeNetNetwork initial(LeNetParams p) {
    return fromWeights(LeNetInit.xavier(p));
  }

  /** Sets the optimiser and weight decay from {@code p}; training state already there (a checkpoint's) is kept. */
  void configureTraining(LeNetParams p) {
    if (sd.getTrainingConfig() != null) {
      return;
    }
    IUpdater updater = switch (p.optimizer()) {
      case "sgd" -> new Sgd(p.learningRate());
      case "nesterov" -> new Nesterovs(p.learningRate(), p.momentum());
      default -> new Adam(p.learningRate());
    };
    TrainingConfig.Builder config = new TrainingConfig.Builder().updater(updater)
        .dataSetFeatureMapping(LeNetGraph.INPUT).dataSetLabelMapping(LeNetGraph.LABELS).minimize(LeNetGraph.LOSS);
    if (p.weightDecay() > 0) {
      // As DL4J's weightDecay(): decoupled decay, scaled by the learning rate.
      config.weightDecay(p.weightDecay(), true);
    }
    sd.setTrainingConfig(config.build());
  }

  /**
   * One optimiser step on a batch ([n, 784] scaled pixels, [n, 10] one-hot labels); returns the batch's loss. On the
   * CPU backend the step is {@link LeNetTrainingStep} (the same update, ~2x faster here); elsewhere SameDiff's fit.
   */
  double fit(INDArray features, INDArray labels) {
    if (!Nd4j.getEnvironment().isCPU()) {
      return fitGraph(features, labels);
    }
    return step().fit(features.dup('c').data().asFloat(), labels.dup('c').data().asFloat(), (int) features.size(0));
  }

  /** {@link #fit(INDArray, INDArray)} on {@code n} images given as [n * 784] scaled pixels and [n * 10] one-hot. */
  double fit(float[] features, float[] labels, int n) {
    if (!Nd4j.getEnvironment().isCPU()) {
      return fitGraph(Nd4j.createFromArray(features).reshape(n, Images.SIZE),
          Nd4j.createFromArray(labels).reshape(n, Images.CLASSES));
    }
    return step().fit(features, labels, n);
  }

  /**
   * One host's part of a step on several hosts: the gradients are averaged over the hosts before the update (only
   * on the CPU backend's direct step).
   */
  double fit(float[] features, float[] labels, int n, dev.sagebox.engine.collective.Collective hosts) {
    if (!hosts.distributed()) {
      return fit(features, labels, n);
    }
    if (!Nd4j.getEnvironment().isCPU()) {
      throw new dev.sagebox.engine.error.UserError("lenet on several hosts needs the CPU backend (its gradients are "
          + "averaged in the direct training step); train on one host with this backend");
    }
    return step().fit(features, labels, n, hosts);
  }

  /** A checksum of the parameters: the same on every host of a job after each synchronised step. */
  double parameterChecksum() {
    return step().parameterChecksum();
  }

  private LeNetTrainingStep step;

  /** The direct training step (created on first use; for the speed probe and checks). */
  LeNetTrainingStep step() {
    if (step == null) {
      step = new LeNetTrainingStep(sd);
    }
    return step;
  }

  /** Replaces the direct step by one whose Java loops use {@code threads} threads (for the speed probe). */
  void stepThreads(int threads) {
    if (step != null) {
      step.close();
    }
    step = new LeNetTrainingStep(sd, threads);
  }

  /** {@link #fit} through SameDiff's own training session, with listeners (the reference path). */
  double fitGraph(INDArray features, INDArray labels, Listener... more) {
    Listener[] listeners = Arrays.copyOf(more, more.length + 1);
    listeners[more.length] = lastLoss;
    sd.fit(new DataSet(features, labels), listeners);
    return lastLoss.value;
  }

  private final LastLoss lastLoss = new LastLoss();

  /**
   * Keeps the loss of the latest training iteration. SameDiff's training pass runs the loss op's gradient from its
   * inputs and never the loss op itself (its own Loss record reads 0), so the mean softmax cross-entropy is computed
   * here from the logits and the batch's labels: [n, 10] values, negligible next to the convolutions.
   */
  private static final class LastLoss extends BaseListener {
    private double value = Double.NaN;

    @Override
    public boolean isActive(Operation operation) {
      return operation == Operation.TRAINING;
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String name,
        INDArray activation) {
      if (name.equals(LeNetGraph.LOGITS)) {
        value = meanCrossEntropy(activation.dup('c').data().asFloat(), batch.getLabels(0).dup('c').data().asFloat());
      }
    }
  }

  /** Mean over rows of -log softmax(logits)[label], for one-hot {@code labels}; both [n, 10] row-major. */
  static double meanCrossEntropy(float[] logits, float[] labels) {
    int n = logits.length / Images.CLASSES;
    double sum = 0;
    for (int r = 0; r < n; r++) {
      int o = r * Images.CLASSES;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < Images.CLASSES; c++) {
        max = Math.max(max, logits[o + c]);
      }
      double z = 0;
      for (int c = 0; c < Images.CLASSES; c++) {
        z += Math.exp(logits[o + c] - max);
      }
      double logZ = max + Math.log(z);
      for (int c = 0; c < Images.CLASSES; c++) {
        sum += labels[o + c] * (logZ - logits[o + c]);
      }
    }
    return sum / Math.max(1, n);
  }

  /** Class probabilities [n * 10] of {@code n} images of 784 pixels scaled to 0-1. */
  float[] probabilities(float[] scaled, int n) {
    float[] out = new float[n * Images.CLASSES];
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      INDArray x = Nd4j.createFromArray(Arrays.copyOfRange(scaled, from * Images.SIZE, to * Images.SIZE))
          .reshape(to - from, Images.SIZE);
      INDArray p = sd.output(Map.of(LeNetGraph.INPUT, x), LeNetGraph.PROBABILITIES).get(LeNetGraph.PROBABILITIES);
      float[] chunk = p.dup('c').data().asFloat();
      System.arraycopy(chunk, 0, out, from * Images.CLASSES, chunk.length);
    }
    return out;
  }

  /** The current parameters, framework-free (for export and checks). */
  LeNetWeights weights() {
    return LeNetGraph.weights(sd);
  }

  SameDiff graph() {
    return sd;
  }

  /** Frees the parameters' native memory; the network is unusable afterwards. */
  @Override
  public void close() {
    if (step != null) {
      step.close();
      step = null;
    }
    for (var v : sd.variables()) {
      INDArray a = v.getArr();
      if (a != null && a.closeable()) {
        a.close();
      }
    }
  }
}

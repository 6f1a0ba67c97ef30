package dev.sagebox.engine.lenet;

import static dev.sagebox.engine.params.ParamSpec.Use.NATIVE;
import static dev.sagebox.engine.params.ParamType.choice;
import static dev.sagebox.engine.params.ParamType.integer;
import static dev.sagebox.engine.params.ParamType.real;

import dev.sagebox.engine.device.ComputeDevice;
import dev.sagebox.engine.params.ParamParser;
import dev.sagebox.engine.params.ParamSpec;
import dev.sagebox.engine.params.ParamType;
import dev.sagebox.engine.params.ParsedParams;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** LeNet's hyperparameters, validated. Widths of the two convolutions and the dense layer are configurable. */
record LeNetParams(int epochs, int batchSize, double learningRate, String optimizer, double momentum,
    double weightDecay, long seed, Integer patience, int conv1, int conv2, int dense, int progressEvery) {

  static final ParamSpec<Integer> EPOCHS = ParamSpec.of("epochs", integer(1, 10_000), 10, NATIVE);
  static final ParamSpec<Integer> BATCH = ParamSpec.of("mini_batch_size", integer(1, 65_536), 64, NATIVE)
      .alias("batch_size");
  static final ParamSpec<Double> LR = ParamSpec.of("learning_rate", real(0, false, 10, true), 0.001, NATIVE)
      .alias("lr");
  static final ParamSpec<String> OPTIMIZER = ParamSpec.of("optimizer", choice("sgd", "nesterov", "adam"), "adam",
      NATIVE);
  static final ParamSpec<Double> MOMENTUM = ParamSpec.of("momentum", real(0, true, 1, false), 0.9, NATIVE);
  static final ParamSpec<Double> WEIGHT_DECAY = ParamSpec.of("weight_decay", real(0, true, 1, true), 0.0, NATIVE);
  static final ParamSpec<Integer> SEED = ParamSpec.of("seed", integer(0, Integer.MAX_VALUE), 0, NATIVE);
  static final ParamSpec<Integer> PATIENCE = ParamSpec.of("early_stopping_patience", integer(1, 10_000), null,
      NATIVE);
  static final ParamSpec<Integer> CONV1 = ParamSpec.of("conv1_filters", integer(1, 1024), 20, NATIVE);
  static final ParamSpec<Integer> CONV2 = ParamSpec.of("conv2_filters", integer(1, 1024), 50, NATIVE);
  static final ParamSpec<Integer> DENSE = ParamSpec.of("dense_units", integer(1, 65_536), 500, NATIVE);
  static final ParamSpec<Integer> PROGRESS = ParamSpec.of("progress_every", integer(1, 1_000_000), 100, NATIVE);
  static final ParamSpec<String> TUNING = ParamSpec.of("_tuning_objective_metric",
      ParamType.text("validation:<metric>"), null, NATIVE);

  static final List<ParamSpec<?>> ALL = List.of(EPOCHS, BATCH, LR, OPTIMIZER, MOMENTUM, WEIGHT_DECAY, SEED, PATIENCE,
      CONV1, CONV2, DENSE, PROGRESS, TUNING, ComputeDevice.param(ParamSpec.Use.SAGEBOX));

  static LeNetParams parse(Map<String, String> raw, Consumer<String> warnings) {
    ParsedParams p = new ParamParser("lenet", ALL).parse(raw, warnings);
    return new LeNetParams(p.get(EPOCHS), p.get(BATCH), p.get(LR), p.get(OPTIMIZER), p.get(MOMENTUM),
        p.get(WEIGHT_DECAY), p.get(SEED), p.get(PATIENCE), p.get(CONV1), p.get(CONV2), p.get(DENSE),
        p.get(PROGRESS));
  }
}

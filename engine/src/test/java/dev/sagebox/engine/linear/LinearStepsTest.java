package dev.sagebox.engine.linear;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two step runners, {@link JavaSteps} and {@link Nd4jSteps}, take the same steps: the same weights after
 * several epochs of mini-batches (the last one shorter), for every loss, optimiser, model count, with and without
 * the bias row, with weight decay, L1, bias multipliers, row weights and learning-rate decay.
 */
class LinearStepsTest {
  private static final int ROWS = 300;
  private static final int FEATURES = 5;
  private static final int BATCH = 32;

  @org.junit.jupiter.api.Test
  void narrowWeightsStepInJavaWideOnesOnNd4j() {
    int narrow = StepRunner.JAVA_MAX_COLUMNS;
    LinearParams few = LinearParams.parse(Map.of("predictor_type", "binary_classifier", "num_models",
        Integer.toString(narrow)), w -> { });
    LinearParams many = LinearParams.parse(Map.of("predictor_type", "binary_classifier", "num_models",
        Integer.toString(narrow + 1)), w -> { });
    assertThat(StepRunner.create(few, new float[3 * narrow], 3, 2, true, 10)).isInstanceOf(JavaSteps.class);
    assertThat(StepRunner.create(many, new float[3 * (narrow + 1)], 3, 2, true, 10)).isInstanceOf(Nd4jSteps.class);
  }

  @ParameterizedTest
  @CsvSource({
      "binary_classifier,logistic,adam,1,true,false",
      "binary_classifier,logistic,adam,6,true,true",
      "binary_classifier,hinge_loss,sgd,3,true,true",
      "binary_classifier,logistic,rmsprop,2,false,false",
      "multiclass_classifier,softmax_loss,adam,1,true,false",
      "multiclass_classifier,softmax_loss,sgd,4,true,true",
      "regressor,squared_loss,adam,1,true,true",
      "regressor,squared_loss,sgd,1,false,false",
      "regressor,absolute_loss,rmsprop,2,true,false",
      "regressor,huber_loss,adam,3,true,true",
      "regressor,quantile_loss,sgd,2,true,false",
      "regressor,eps_insensitive_squared_loss,adam,2,true,true",
      "regressor,eps_insensitive_absolute_loss,rmsprop,1,true,false"})
  void javaAndNd4jStepsAgree(String type, String loss, String optimizer, int models, boolean bias,
      boolean regularised) {
    Map<String, String> hp = new HashMap<>(Map.of("predictor_type", type, "loss", loss, "optimizer", optimizer,
        "num_models", Integer.toString(models), "use_bias", Boolean.toString(bias)));
    if (type.equals("multiclass_classifier")) {
      hp.put("num_classes", "3");
    }
    if (regularised) {
      hp.put("wd", "0.01");
      hp.put("l1", "0.001");
      hp.put("bias_lr_mult", "2");
      hp.put("bias_wd_mult", "0.5");
    }
    LinearParams p = LinearParams.parse(hp, w -> { });
    Random r = new Random(7);
    float[] x = new float[ROWS * FEATURES];
    float[] y = new float[ROWS];
    float[] rowWeights = regularised ? new float[ROWS] : null;
    for (int i = 0; i < ROWS; i++) {
      double s = 0;
      for (int j = 0; j < FEATURES; j++) {
        x[i * FEATURES + j] = (float) r.nextGaussian();
        s += x[i * FEATURES + j] * (j - 2);
      }
      y[i] = switch (type) {
        case "binary_classifier" -> s > 0 ? 1 : 0;
        case "multiclass_classifier" -> s > 1 ? 2 : s > -1 ? 1 : 0;
        default -> (float) (s + r.nextGaussian());
      };
      if (rowWeights != null) {
        rowWeights[i] = 0.5f + r.nextFloat();
      }
    }
    DesignMatrix data = DesignMatrix.of(new LinearTrainer.Rows(x, ROWS, FEATURES, y, null), null,
        Scaler.identity(FEATURES), bias, 0f, 1f, rowWeights, BATCH, 2);
    int rows = FEATURES + (bias ? 1 : 0);
    int width = models * p.outputs();
    float[] init = new float[rows * width];
    for (int i = 0; i < init.length; i++) {
      init[i] = (float) (r.nextGaussian() * 0.1);
    }
    StepRunner java = new JavaSteps(p, init, rows, FEATURES, bias, BATCH);
    StepRunner nd4j = new Nd4jSteps(p, init, rows, FEATURES, bias, BATCH);
    for (int epoch = 0; epoch < 3; epoch++) {
      for (int b = data.batches() - 1; b >= 0; b--) {
        java.step(data, b);
        nd4j.step(data, b);
      }
      java.decay(0.5, 1e-4);
      nd4j.decay(0.5, 1e-4);
    }
    float[] a = java.weights().data().asFloat();
    float[] b = nd4j.weights().data().asFloat();
    assertThat(a).hasSize(rows * width);
    float moved = 0;
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).as("weight %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(2e-4f));
      moved = Math.max(moved, Math.abs(a[i] - init[i]));
    }
    assertThat(moved).as("the steps changed the weights").isGreaterThan(1e-3f);
  }
}

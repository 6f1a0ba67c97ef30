package dev.sagebox.engine.linear;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void aucMatchesTheDefinitionWithTiesAndNegativeScores() {
    float[] s = {-2f, 0.5f, 0.5f, 3f, -0.1f, 0.5f};
    float[] y = {0, 1, 0, 1, 0, 1};
    // Pairs (pos, neg): 3 positives x 3 negatives = 9; wins: 0.5 vs -2 and -0.1 (x2 positives at 0.5 = 4 wins,
    // ties with the negative 0.5 count half: 2 x 0.5 = 1), 3 beats all 3 = 3. (4 + 1 + 3) / 9.
    assertThat(Metrics.auc(s, y, 6)).isCloseTo(8 / 9.0, Offset.offset(1e-12));
    assertThat(Metrics.auc(new float[] {1, 2}, new float[] {1, 1}, 2)).isNaN();
  }

  @Test
  void accuracyAndTopK() {
    assertThat(Metrics.accuracy(new float[] {0.9f, 0.2f, 0.6f}, new float[] {1, 0, 0}, 3, 0.5f))
        .isCloseTo(2 / 3.0, Offset.offset(1e-12));
    float[] probs = {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f};
    assertThat(Metrics.multiclassAccuracy(probs, new float[] {2, 0}, 2, 3, 1)).isEqualTo(0.5);
    assertThat(Metrics.multiclassAccuracy(probs, new float[] {2, 0}, 2, 3, 2)).isEqualTo(1.0);
  }
}

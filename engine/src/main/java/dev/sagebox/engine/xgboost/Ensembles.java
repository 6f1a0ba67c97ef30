package dev.sagebox.engine.xgboost;

/** Combines the predictions of an ensemble's members: {@code [member][row][value]} to {@code [row][value]}. */
final class Ensembles {
  private Ensembles() {}

  /** Element-wise mean over the members. */
  static float[][] mean(float[][][] members) {
    int rows = members[0].length;
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      int width = members[0][r].length;
      float[] row = new float[width];
      for (float[][] m : members) {
        for (int j = 0; j < width; j++) {
          row[j] += m[r][j];
        }
      }
      for (int j = 0; j < width; j++) {
        row[j] /= members.length;
      }
      out[r] = row;
    }
    return out;
  }

  /** The class number most members predict for each row; a tie goes to the smaller class. */
  static float[][] vote(float[][][] members) {
    int rows = members[0].length;
    float[][] out = new float[rows][];
    int[] counts = new int[16];
    for (int r = 0; r < rows; r++) {
      int max = 0;
      for (float[][] m : members) {
        max = Math.max(max, Math.max(0, Math.round(m[r][0])));
      }
      if (counts.length <= max) {
        counts = new int[max + 1];
      }
      java.util.Arrays.fill(counts, 0, max + 1, 0);
      for (float[][] m : members) {
        counts[Math.max(0, Math.round(m[r][0]))]++;
      }
      int best = 0;
      for (int c = 1; c <= max; c++) {
        if (counts[c] > counts[best]) {
          best = c;
        }
      }
      out[r] = new float[] {best};
    }
    return out;
  }
}

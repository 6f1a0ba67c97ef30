package dev.sagebox.engine.lenet;

import dev.sagebox.engine.error.UserError;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sagebox's LeNet model file: the {@link LeNetWeights}, framework-free. Layout (big-endian, as DataOutputStream
 * writes): the 8 ASCII bytes {@code SBLENET1}, the widths conv1, conv2, dense as int32, then the eight float32 arrays
 * in LeNetWeights' order and layout (conv1W, conv1B, conv2W, conv2B, denseW, denseB, outW, outB), each preceded by its
 * length as int32.
 */
final class LeNetWeightsFile {
  static final String NAME = "lenet-weights.bin";
  private static final byte[] MAGIC = {'S', 'B', 'L', 'E', 'N', 'E', 'T', '1'};
  private static final int MAX_WIDTH = 65_536;

  private LeNetWeightsFile() {}

  static void write(LeNetWeights w, Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.write(MAGIC);
      out.writeInt(w.conv1());
      out.writeInt(w.conv2());
      out.writeInt(w.dense());
      for (float[] a : new float[][] {w.conv1W(), w.conv1B(), w.conv2W(), w.conv2B(), w.denseW(), w.denseB(),
          w.outW(), w.outB()}) {
        out.writeInt(a.length);
        for (float v : a) {
          out.writeFloat(v);
        }
      }
    }
  }

  /** Reads a file written by {@link #write}; anything else is a {@link UserError} naming the file. */
  static LeNetWeights read(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new UserError(file + " is not a Sagebox LeNet weights file (it does not start with SBLENET1)");
      }
      int conv1 = width(in, file);
      int conv2 = width(in, file);
      int dense = width(in, file);
      int k2 = LeNetWeights.KERNEL * LeNetWeights.KERNEL;
      long flat = (long) conv2 * LeNetWeights.POOLED * LeNetWeights.POOLED;
      long[] expected = {(long) conv1 * k2, conv1, (long) conv2 * conv1 * k2, conv2, flat * dense, dense,
          (long) dense * Images.CLASSES, Images.CLASSES};
      float[][] a = new float[8][];
      for (int i = 0; i < a.length; i++) {
        int n = in.readInt();
        if (n != expected[i]) {
          throw new UserError(file + ": array " + (i + 1) + " has " + n + " values where widths " + conv1 + "/"
              + conv2 + "/" + dense + " need " + expected[i]);
        }
        a[i] = new float[n];
        for (int k = 0; k < n; k++) {
          a[i][k] = in.readFloat();
        }
      }
      return new LeNetWeights(conv1, conv2, dense, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    } catch (EOFException e) {
      throw new UserError(file + " is truncated (a Sagebox LeNet weights file ends early)", e);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int width(DataInputStream in, Path file) throws IOException {
    int v = in.readInt();
    if (v < 1 || v > MAX_WIDTH) {
      throw new UserError(file + ": layer width " + v + " is outside 1-" + MAX_WIDTH);
    }
    return v;
  }
}

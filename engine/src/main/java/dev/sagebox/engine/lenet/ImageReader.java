package dev.sagebox.engine.lenet;

import dev.sagebox.engine.data.ChannelFiles;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.GrayscaleImage;
import dev.sagebox.engine.data.LabeledData;
import dev.sagebox.engine.data.csv.CsvReader;
import dev.sagebox.engine.error.UserError;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a LeNet channel: MNIST IDX files (plain or gzip, recognised by their magic numbers 2051/2049, images and
 * labels paired in name order), CSV (label then 784 pixel values 0-255), or PNG/JPEG images in folders named by
 * their class ({@code train/7/a.png}), converted to 28x28 grayscale.
 */
final class ImageReader {
  private static final int IDX_IMAGES = 2051;
  private static final int IDX_LABELS = 2049;

  private ImageReader() {}

  static Images read(String channel, List<Path> files) {
    List<byte[]> idxImages = new ArrayList<>();
    List<Path> idxImageFiles = new ArrayList<>();
    List<byte[]> idxLabels = new ArrayList<>();
    List<Path> idxLabelFiles = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes = ChannelFiles.read(f);
      String name = nameOf(channel, f);
      int magic = bytes.length >= 4 ? ByteBuffer.wrap(bytes, 0, 4).getInt() : -1;
      if (magic == IDX_IMAGES) {
        idxImages.add(bytes);
        idxImageFiles.add(f);
      } else if (magic == IDX_LABELS) {
        idxLabels.add(bytes);
        idxLabelFiles.add(f);
      } else if (GrayscaleImage.looksLikeImage(bytes)) {
        rows.add(GrayscaleImage.decode(bytes, Images.SIDE, name));
        labels.add(labelFromFolder(f, name));
      } else if (bytes.length > 0) {
        readCsv(bytes, name, rows, labels);
      }
    }
    if (idxImages.size() != idxLabels.size()) {
      throw new UserError("channel '" + channel + "' has " + idxImages.size() + " IDX image file(s) but "
          + idxLabels.size() + " IDX label file(s); each images file needs its labels file");
    }
    for (int i = 0; i < idxImages.size(); i++) {
      readIdx(idxImages.get(i), idxLabels.get(i), nameOf(channel, idxImageFiles.get(i)),
          nameOf(channel, idxLabelFiles.get(i)), rows, labels);
    }
    if (rows.isEmpty()) {
      throw new UserError("channel '" + channel + "' holds no images; accepted: MNIST IDX files (.gz or plain), CSV "
          + "(label then 784 pixels 0-255) or PNG/JPEG files in folders named by class (" + channel + "/7/x.png)");
    }
    float[] pixels = new float[rows.size() * Images.SIZE];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, pixels, i * Images.SIZE, Images.SIZE);
      y[i] = labels.get(i);
    }
    return new Images(channel, pixels, y, rows.size());
  }

  private static void readIdx(byte[] images, byte[] labels, String imageName, String labelName, List<float[]> rows,
      List<Integer> out) {
    ByteBuffer ib = ByteBuffer.wrap(images);
    ByteBuffer lb = ByteBuffer.wrap(labels);
    ib.getInt();
    lb.getInt();
    int n = ib.getInt();
    int h = ib.getInt();
    int w = ib.getInt();
    int ln = lb.getInt();
    if (h != Images.SIDE || w != Images.SIDE) {
      throw new UserError(imageName + ": IDX images are " + h + "x" + w + "; LeNet reads 28x28 (MNIST)");
    }
    if (n != ln) {
      throw new UserError(imageName + " holds " + n + " images but " + labelName + " holds " + ln + " labels");
    }
    if (images.length < 16 + (long) n * Images.SIZE || labels.length < 8 + n) {
      throw new UserError(imageName + " or " + labelName + " is truncated: the header announces " + n + " items");
    }
    for (int i = 0; i < n; i++) {
      float[] row = new float[Images.SIZE];
      int base = 16 + i * Images.SIZE;
      for (int k = 0; k < Images.SIZE; k++) {
        row[k] = images[base + k] & 0xff;
      }
      int label = labels[8 + i] & 0xff;
      if (label > 9) {
        throw new UserError(labelName + ", item " + (i + 1) + ": label " + label + " is not a digit 0-9");
      }
      rows.add(row);
      out.add(label);
    }
  }

  private static void readCsv(byte[] bytes, String name, List<float[]> rows, List<Integer> labels) {
    LabeledData d = new CsvReader((byte) ',', 1).readLabeled(bytes, name, new CsvReader.Layout(true, false));
    DenseBatch x = (DenseBatch) d.features();
    if (x.columns() != Images.SIZE) {
      throw new UserError(name + ": CSV rows have " + x.columns() + " pixel values after the label; LeNet needs "
          + Images.SIZE + " (28x28)");
    }
    for (int i = 0; i < d.rows(); i++) {
      float label = d.labels()[i];
      if (label != Math.rint(label) || label < 0 || label > 9) {
        throw new UserError(name + ", row " + (i + 1) + ": label " + label + " is not a digit 0-9");
      }
      rows.add(java.util.Arrays.copyOfRange(x.values(), i * Images.SIZE, (i + 1) * Images.SIZE));
      labels.add((int) label);
    }
  }

  /** How messages name a file: its path under the channel's folder ({@code train/7/a.png}), class folder included. */
  static String nameOf(String channel, Path f) {
    return dev.sagebox.engine.data.ChannelFiles.displayName(channel, f);
  }

  private static int labelFromFolder(Path f, String name) {
    Path parent = f.getParent();
    String folder = parent == null ? "" : parent.getFileName().toString();
    if (folder.length() == 1 && Character.isDigit(folder.charAt(0))) {
      return folder.charAt(0) - '0';
    }
    throw new UserError(name + ": an image must sit in a folder named by its class 0-9 (such as train/7/"
        + f.getFileName() + "), not in '" + folder + "'");
  }
}

package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which files of a model folder are XGBoost models. A Sagebox folder names them in its manifest ({@code model_file},
 * plus {@code ensemble_files} for k-fold models); a folder without a manifest (SageMaker's own output) holds one
 * model per regular file, as SageMaker's XGBoost container reads it: {@code xgboost-model}, or
 * {@code xgboost-model-0..N} after k-fold, or several files that form an ensemble. Hidden files are skipped, and
 * said so.
 */
final class XGBoostModelFiles {
  /** Manifest detail listing every model file of an ensemble, comma-separated, in order. */
  static final String ENSEMBLE_FILES = "ensemble_files";

  private XGBoostModelFiles() {}

  static List<Path> fromManifest(Path modelDir, ModelManifest manifest) {
    String listed = manifest.details().get(ENSEMBLE_FILES);
    if (listed == null || listed.isBlank()) {
      return List.of(ModelManifest.fileIn(modelDir, manifest.modelFile(), "model_file"));
    }
    List<Path> files = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String name : listed.split(",")) {
      if (!seen.add(name.strip())) {
        // Each member is loaded (and counted against a memory budget) once: a repeated name is a damaged manifest.
        throw new UserError(ModelManifest.FILE_NAME + " lists " + name.strip() + " more than once in "
            + ENSEMBLE_FILES + "; each member of an ensemble is its own file");
      }
      files.add(ModelManifest.fileIn(modelDir, name.strip(), "details." + ENSEMBLE_FILES));
    }
    return List.copyOf(files);
  }

  /** The candidate model files of a folder without a manifest, in name order ({@code xgboost-model} first). */
  static List<Path> inBareFolder(Path modelDir, Consumer<String> log) {
    List<Path> all;
    try (var s = Files.list(modelDir)) {
      all = s.filter(Files::isRegularFile).sorted(XGBoostModelFiles::byName).toList();
    } catch (IOException e) {
      throw new PlatformError("cannot list model folder " + modelDir + ": " + e.getMessage(), e);
    }
    List<Path> candidates = new ArrayList<>();
    for (Path p : all) {
      if (p.getFileName().toString().startsWith(".")) {
        log.accept("model folder: skipped hidden file " + p.getFileName());
      } else {
        candidates.add(p);
      }
    }
    if (candidates.size() == 1 && candidates.get(0).getFileName().toString().endsWith(".tar.gz")) {
      throw new UserError("model folder " + modelDir + " holds only " + candidates.get(0).getFileName() + ", an "
          + "archive: SageMaker extracts model.tar.gz into the model folder before serving; extract it there "
          + "(tar -xzf model.tar.gz -C <folder>)");
    }
    if (candidates.isEmpty()) {
      throw new UserError("model folder " + modelDir + " has no " + ModelManifest.FILE_NAME + " and no model file "
          + "(it is empty); expected '" + XGBoostTrainer.MODEL_FILE + "' as SageMaker's XGBoost writes it");
    }
    return List.copyOf(candidates);
  }

  /** Name order, except that numbered files sort by number (xgboost-model-2 before xgboost-model-10). */
  private static int byName(Path a, Path b) {
    String x = a.getFileName().toString();
    String y = b.getFileName().toString();
    String px = x.replaceAll("\\d+$", "");
    String py = y.replaceAll("\\d+$", "");
    if (px.equals(py) && !px.equals(x) && !py.equals(y)) {
      return Long.compare(number(x.substring(px.length())), number(y.substring(py.length())));
    }
    return x.compareTo(y);
  }

  private static long number(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** What a file that XGBoost cannot load looks like, and how to fix it. */
  static String diagnose(Path file, byte[] bytes, String xgboostMessage) {
    if (bytes.length == 0) {
      return file.getFileName() + " is empty";
    }
    if ((bytes[0] & 0xff) == 0x80) {
      return file.getFileName() + " is a Python pickle (SageMaker XGBoost before 1.3 saved models that way); "
          + "load it in Python with pickle and re-save it with booster.save_model('xgboost-model.json') or "
          + "'.ubj', then rename it to xgboost-model";
    }
    if (bytes[0] != '{') {
      return file.getFileName() + " is neither an XGBoost JSON/UBJSON model nor XGBoost's legacy binary format; if "
          + "it is a model, load it with the XGBoost that wrote it and re-save it with "
          + "booster.save_model('xgboost-model.json') or '.ubj', then rename it to xgboost-model";
    }
    return file.getFileName() + " is not a model XGBoost can load: " + xgboostMessage;
  }
}

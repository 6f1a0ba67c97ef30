package dev.sagebox.container.serve;

import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.AlgorithmRegistry;
import dev.sagebox.engine.model.ModelFolder;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.model.PredictorOptions;
import dev.sagebox.engine.onnx.ByoOnnxModel;
import dev.sagebox.engine.onnx.TensorRequestDecoder;
import dev.sagebox.engine.onnx.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads the model folder: the manifest names the algorithm; a folder without one holding exactly one {@code *.onnx}
 * file is a bring-your-own ONNX model served through ONNX Runtime; any other folder without one (SageMaker's own
 * XGBoost output) is served as XGBoost.
 */
public final class ModelLoader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("sagebox.serve");
  /** The value of SAGEMAKER_INFERENCE_OUTPUT that selects every output of an ONNX model. */
  static final String ALL_OUTPUTS = "all";
  private final AlgorithmRegistry registry;

  public ModelLoader(AlgorithmRegistry registry) {
    this.registry = registry;
  }

  /** Loads a table-shaped model (a folder of an ONNX model is refused: use {@link #loadServed}). */
  public Predictor load(Path modelDir, PredictorOptions options) {
    ServedModel m = loadServed(modelDir, options, dev.sagebox.engine.data.GrayscaleImage.DEFAULT_MAX_PIXELS);
    if (m instanceof ServedModel.Table t) {
      return t.predictor();
    }
    m.close();
    throw new UserError(modelDir + " holds an ONNX model, not a table-shaped one");
  }

  /** Loads whatever the folder holds; {@code maxImagePixels} bounds images sent to an ONNX image model. */
  public ServedModel loadServed(Path modelDir, PredictorOptions options, long maxImagePixels) {
    return loadServed(modelDir, options, maxImagePixels, true);
  }

  /**
   * As above; {@code recoverSave}: finish or discard an interrupted training save first (the single model's own
   * folder); a multi-model endpoint's loads never change the folders they read.
   */
  public ServedModel loadServed(Path modelDir, PredictorOptions options, long maxImagePixels, boolean recoverSave) {
    if (!Files.isDirectory(modelDir)) {
      throw new UserError("model folder " + modelDir + " does not exist; mount a trained model there (docker run -v "
          + "DIR:/opt/ml/model) or set SM_MODEL_DIR");
    }
    if (recoverSave) {
      String recovered = new ModelFolder(modelDir).recoverIfWritable();
      if (!recovered.isEmpty()) {
        LOG.warn("model folder: {}", recovered);
      }
    }
    refuseSpecialFiles(modelDir);
    ModelManifest manifest = ModelManifest.readIfPresent(modelDir);
    if (manifest != null) {
      ModelFolder.verify(modelDir, manifest);
      return new ServedModel.Table(registry.get(manifest.algorithm()).load(modelDir, manifest, options));
    }
    List<Path> onnx = onnxFiles(modelDir);
    if (onnx.size() > 1) {
      throw new UserError("model folder " + modelDir + " holds " + onnx.size() + " ONNX files ("
          + String.join(", ", onnx.stream().map(p -> p.getFileName().toString()).toList()) + "); a bring-your-own "
          + "model folder must hold exactly one *.onnx file");
    }
    if (onnx.size() == 1) {
      return onnxModel(onnx.get(0), options, maxImagePixels);
    }
    return new ServedModel.Table(registry.get("xgboost").load(modelDir, null, options));
  }

  /**
   * A pipe, device or socket among the folder's files (directly, or as what a link points to) would hang or exhaust
   * the reader of a model file: refused before anything is read.
   */
  private static void refuseSpecialFiles(Path modelDir) {
    try (Stream<Path> s = Files.list(modelDir)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        if (!Files.isRegularFile(f) && !Files.isDirectory(f) && Files.exists(f)) {
          throw new UserError("model folder: " + f.getFileName() + " is not a regular file (a pipe, device or "
              + "socket, or a link to one); a model folder holds files: remove it");
        }
      }
    } catch (IOException e) {
      throw IoFailures.of("cannot list", modelDir, e);
    }
  }

  private static ServedModel onnxModel(Path file, PredictorOptions options, long maxImagePixels) {
    ByoOnnxModel model = ByoOnnxModel.open(file, options.threadsPerPrediction(), LOG::info);
    try {
      List<String> selected = selectedOutputs(model.outputs(), options.selectedOutputs(),
          "SAGEMAKER_INFERENCE_OUTPUT");
      return new ServedModel.Tensors(model, new TensorRequestDecoder(model.inputs(), maxImagePixels,
          Math.max(2, Runtime.getRuntime().availableProcessors())), selected);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Output names as selected ({@code all}, or names), checked against the model's outputs; {@code where} names the
   * setting in the error.
   */
  static List<String> selectedOutputs(List<TensorSpec> outputs, List<String> asked, String where) {
    List<String> names = outputs.stream().map(TensorSpec::name).toList();
    if (asked.size() == 1 && asked.get(0).strip().toLowerCase(Locale.ROOT).equals(ALL_OUTPUTS)) {
      return names;
    }
    for (String a : asked) {
      if (!names.contains(a)) {
        throw new UserError(where + " names output '" + a + "', which the model does not have; its outputs: "
            + String.join(", ", names) + " (or 'all')");
      }
    }
    return List.copyOf(asked);
  }

  private static List<Path> onnxFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")).sorted().toList();
    } catch (IOException e) {
      throw IoFailures.of("cannot list", dir, e);
    }
  }
}

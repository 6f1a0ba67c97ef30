package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.data.TextFormat;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.ChannelInput;
import dev.sagebox.engine.model.ModelManifest;
import dev.sagebox.engine.model.TrainingListener;
import dev.sagebox.engine.xgboost.capi.CApiAccess;
import dev.sagebox.engine.xgboost.capi.XGBoostCApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Training from data larger than memory: the CSV channels are streamed from their files block by block into
 * XGBoost's external-memory quantile matrix, whose pages XGBoost writes to a temporary folder on local disk and trains
 * from; the heap holds one block at a time. Chosen with {@code data_matrix=external}, or by {@code auto} when a float
 * copy of the channels would not fit in half of the JVM's heap.
 */
final class ExternalMemory {
  /** Text bytes per block: ~16 MB of floats for typical numeric CSV. */
  static final int BLOCK_BYTES = 32 << 20;
  /** A float copy takes about half the bytes of its CSV text (~8 characters per value); gzip text ~4x its size. */
  private static final double FLOAT_BYTES_PER_TEXT_BYTE = 0.5;

  private final XGBoostTrainer trainer;
  private final XGBoostParams params;
  private final int threads;
  private final TrainingListener log;

  ExternalMemory(XGBoostTrainer trainer, XGBoostParams params, int threads, TrainingListener log) {
    this.trainer = trainer;
    this.params = params;
    this.threads = threads;
    this.log = log;
  }

  /** Whether to train from external memory: asked for, or (auto) a float copy would not fit half the heap. */
  static boolean wanted(DataMatrix choice, ChannelInput train, ChannelInput validation) {
    if (choice == DataMatrix.EXTERNAL) {
      return true;
    }
    if (choice != DataMatrix.AUTO || train.pipe() || (validation != null && validation.pipe())) {
      return false;
    }
    double floats = (estimatedTextBytes(train) + (validation == null ? 0 : estimatedTextBytes(validation)))
        * FLOAT_BYTES_PER_TEXT_BYTE;
    return floats > Runtime.getRuntime().maxMemory() / 2.0 && csv(train) && (validation == null || csv(validation));
  }

  private static long estimatedTextBytes(ChannelInput c) {
    long sum = 0;
    for (Path f : c.files()) {
      try {
        long size = Files.size(f);
        sum += f.getFileName().toString().endsWith(".gz") ? size * 4 : size;
      } catch (IOException e) {
        // an unreadable file is reported when it is read
      }
    }
    return sum;
  }

  private static boolean csv(ChannelInput c) {
    return c.format() == null || c.format() == TextFormat.CSV;
  }

  ModelManifest train(ChannelInput trainChannel, ChannelInput validationChannel, String version) {
    refuseUnsupported(trainChannel);
    if (validationChannel != null) {
      refuseUnsupported(validationChannel);
    }
    StringBuilder why = new StringBuilder();
    XGBoostCApi api = CApiAccess.open(why::append).orElseThrow(() -> new PlatformError("external-memory training "
        + "needs XGBoost's C API, which this JVM cannot reach: " + why + " (bin/sagebox passes --add-modules "
        + "jdk.incubator.foreign --enable-native-access=ALL-UNNAMED)", null));
    Path pages = createPagesFolder();
    try (StreamedCsvBlocks trainBlocks = blocks(trainChannel);
        StreamedCsvBlocks validationBlocks = validationChannel == null ? null : blocks(validationChannel)) {
      return trainer.withRounds(rounds -> {
        QuantileMatrices quantile = new QuantileMatrices(api, threads,
            TrainingMatrices.maxBin(params.boosterParams()));
        DMatrix dtrain = null;
        DMatrix dvalid = null;
        try {
          long t0 = System.nanoTime();
          dtrain = build(quantile, trainBlocks, null, pages.resolve("train"));
          int features = trainBlocks.columns();
          if (validationBlocks != null) {
            dvalid = build(quantile, validationBlocks, dtrain, pages.resolve("validation"));
            if (validationBlocks.columns() != features) {
              throw new UserError("channel 'validation' has " + validationBlocks.columns() + " features but "
                  + "'train' has " + features + "; both need the same columns (label first, then the same "
                  + "features)");
            }
          }
          log.info(String.format(Locale.ROOT, "external memory: pages built in %.3f s in %s (%s): train %d rows x %d "
              + "features%s, read in blocks of %d MB", (System.nanoTime() - t0) / 1e9, pages, pagesSize(pages),
              trainBlocks.rows(), features, validationBlocks == null ? ""
                  : ", validation " + validationBlocks.rows() + " rows", BLOCK_BYTES >> 20));
          ChannelInput modelChannel = trainer.modelChannel();
          int width = modelChannel == null ? features : trainer.continueFrom(modelChannel, features, false);
          if (width != features) {
            throw new UserError("the model in channel 'model' has " + width + " features and the data " + features
                + "; external memory needs them equal");
          }
          if (params.earlyStoppingRounds() != null && dvalid == null) {
            log.warn("early_stopping_rounds is set but there is no 'validation' channel; training all "
                + params.numRound() + " rounds");
          }
          return trainer.trainOn(rounds, dtrain, dtrain.getLabel(), null, dvalid,
              dvalid == null ? null : dvalid.getLabel(), null, features, version);
        } finally {
          if (dtrain != null) {
            dtrain.dispose();
          }
          if (dvalid != null) {
            dvalid.dispose();
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(pages);
    }
  }

  private StreamedCsvBlocks blocks(ChannelInput c) {
    return new StreamedCsvBlocks(c.name(), c.files(), params.csvWeights(), threads, params, BLOCK_BYTES,
        trainer.stopRequested());
  }

  private DMatrix build(QuantileMatrices quantile, StreamedCsvBlocks blocks, DMatrix reference, Path prefix)
      throws XGBoostError {
    try {
      return quantile.external(blocks, blocks.columns(), reference, prefix);
    } catch (XGBoostError e) {
      if (blocks.rows() == 0) {
        throw new UserError("channel '" + blocks.channel() + "' has no rows: its files hold no data lines", e);
      }
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new PlatformError("reading the data for external memory failed: " + e.getMessage(), e);
    }
  }

  private void refuseUnsupported(ChannelInput c) {
    String reason = null;
    if (c.pipe()) {
      reason = "it is in Pipe mode (external memory reads each file several times: use File mode)";
    } else if (!csv(c)) {
      reason = "it is " + c.format() + " (external memory streams CSV only)";
    } else if (params.kfold() != null) {
      reason = "_kfold is set (cross-validation needs the rows in memory)";
    } else if (params.objective().equals("survival:aft")) {
      reason = "objective survival:aft reads interval labels, which external memory does not stream";
    }
    if (reason != null) {
      throw new UserError("channel '" + c.name() + "' cannot be trained from external memory: " + reason
          + "; set data_matrix to float or quantile, or leave it at auto when the data fits in memory");
    }
  }

  private static Path createPagesFolder() {
    try {
      return Files.createTempDirectory("sagebox-xgboost-pages-");
    } catch (IOException e) {
      throw new PlatformError("cannot create a folder for XGBoost's external-memory pages in "
          + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
    }
  }

  private static String pagesSize(Path pages) {
    try (Stream<Path> s = Files.walk(pages)) {
      long bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      return String.format(Locale.ROOT, "%.1f MB on disk", bytes / 1e6);
    } catch (IOException e) {
      return "size unknown";
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is not worth failing a finished training for
    }
  }

}

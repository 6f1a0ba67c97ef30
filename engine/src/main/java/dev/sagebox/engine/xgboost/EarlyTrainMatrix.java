package dev.sagebox.engine.xgboost;

import dev.sagebox.engine.error.AlgorithmError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The training channel's float DMatrix, built on a thread of its own while the validation channel is parsed.
 * xgboost4j builds a float DMatrix on one thread (about a second for 800,000 x 28 here), so on a two-core machine
 * that build and the validation parse overlap instead of following each other. The matrix is owned by whoever
 * {@link #take}s it; if nobody does (the validation channel failed to parse, say), {@link #close} waits for the build
 * and frees it.
 */
final class EarlyTrainMatrix implements AutoCloseable {
  private final CompletableFuture<DMatrix> build = new CompletableFuture<>();
  private final int width;
  private boolean taken;

  private EarlyTrainMatrix(TrainingRows train) {
    this.width = train.features().columns();
    Thread t = new Thread(() -> {
      try {
        build.complete(DMatrices.of(train, width));
      } catch (XGBoostError | RuntimeException | Error e) {
        build.completeExceptionally(e);
      }
    }, "sagebox-train-matrix");
    t.setDaemon(true);
    t.start();
  }

  /** Starts building the float DMatrix of {@code train} (dense rows), as wide as its columns. */
  static EarlyTrainMatrix start(TrainingRows train) {
    return new EarlyTrainMatrix(train);
  }

  /** The feature count the matrix was built with. */
  int width() {
    return width;
  }

  /** Waits for the matrix and hands it over: the caller disposes it. */
  DMatrix take() throws XGBoostError {
    taken = true;
    try {
      return build.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      build.thenAccept(DMatrix::dispose);
      throw new AlgorithmError("interrupted while building the training DMatrix", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof XGBoostError x) {
        throw x;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) cause;
    }
  }

  /** Frees the matrix unless it was handed over. */
  @Override
  public void close() {
    if (!taken) {
      taken = true;
      build.thenAccept(DMatrix::dispose);
    }
  }
}

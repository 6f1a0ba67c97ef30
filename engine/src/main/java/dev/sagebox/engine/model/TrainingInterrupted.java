package dev.sagebox.engine.model;

/**
 * Training stopped because the job was asked to stop (SIGTERM), not because something failed. {@code modelSaved}
 * tells whether a partial model was written.
 */
public final class TrainingInterrupted extends RuntimeException {
  private final boolean modelSaved;

  public TrainingInterrupted(String message, boolean modelSaved) {
    super(message, null, false, false);
    this.modelSaved = modelSaved;
  }

  public boolean modelSaved() {
    return modelSaved;
  }
}

package dev.sagebox.engine.error;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;

/**
 * Turns an I/O exception on a named file into the right error with the reason in its first line: a permission
 * problem or corrupt data is the user's to fix (exit 1); a disk or device failure is the platform's (exit 3).
 */
public final class IoFailures {
  private IoFailures() {}

  /** "cannot read FILE: REASON" as a {@link UserError} or {@link PlatformError}. */
  public static EngineException of(String action, Object file, IOException e) {
    String reason = reason(e);
    if (e instanceof AccessDeniedException) {
      boolean writing = action.contains("write") || action.contains("save") || action.contains("create")
          || action.contains("move") || action.contains("remove");
      return new UserError(action + " " + file + ": permission denied (make it " + (writing
          ? "writable by the training process, e.g. chmod u+w on the folder" : "readable by the training process, "
          + "e.g. chmod a+r") + ", or run the container as the file's owner)", e);
    }
    if (e instanceof NoSuchFileException) {
      return new UserError(action + " " + file + ": no such file", e);
    }
    if (e instanceof ZipException || e instanceof EOFException) {
      return new UserError(file + ": corrupt or truncated gzip data (" + reason + "); re-create the file", e);
    }
    return new PlatformError(action + " " + file + ": " + reason, e);
  }

  /** A readable reason, never "null": the file-system reason, the message, or what kind of failure it was. */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof EOFException) {
      return e.getMessage() == null ? "unexpected end of file" : e.getMessage();
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
    return m;
  }
}

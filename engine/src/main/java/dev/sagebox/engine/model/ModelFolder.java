package dev.sagebox.engine.model;

import dev.sagebox.engine.error.IoFailures;
import dev.sagebox.engine.error.PlatformError;
import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Saving a model so that a kill at any instant leaves the folder holding either the complete old model or the
 * complete new one. Training writes into a staging folder inside the model folder ({@code .sagebox-staging/});
 * {@link #commit} checksums every file into the manifest, syncs them, writes a commit marker, then moves each file
 * into place with the manifest last and removes the staging folder. {@link #recover} (run before serving and before
 * training) finishes a commit whose marker was written and discards a staging folder whose marker was not: the old
 * files were not touched before the marker, and after it everything needed to finish is on disk. Staging inside the
 * model folder keeps every move a rename within one file system, also when the folder is a mount point.
 */
public final class ModelFolder {
  public static final String STAGING = ".sagebox-staging";
  static final String COMMIT_MARKER = ".commit";
  /** In the staging folder: names of the previous model's files that the new one does not have, removed at the end. */
  static final String LEFT_OVER = ".left-over";

  private final Path modelDir;
  private final Runnable betweenSteps;

  public ModelFolder(Path modelDir) {
    this(modelDir, () -> { });
  }

  /** @param betweenSteps runs between the file operations of a commit (a test widens the window with a pause) */
  public ModelFolder(Path modelDir, Runnable betweenSteps) {
    this.modelDir = modelDir;
    this.betweenSteps = betweenSteps;
  }

  /** A fresh, empty staging folder for the algorithm to write into (an unfinished one is recovered first). */
  public Path stage() {
    recover();
    Path staging = modelDir.resolve(STAGING);
    try {
      Files.createDirectories(staging);
      return staging;
    } catch (IOException e) {
      throw IoFailures.of("cannot create", staging, e);
    }
  }

  /** Moves the staged model into place; the staging folder must hold a manifest. Returns the final manifest. */
  public ModelManifest commit() {
    Path staging = modelDir.resolve(STAGING);
    ModelManifest staged = ModelManifest.readIfPresent(staging);
    if (staged == null) {
      throw new PlatformError("the algorithm wrote no " + ModelManifest.FILE_NAME + " into " + staging, null);
    }
    try {
      Map<String, ModelManifest.FileDigest> digests = new LinkedHashMap<>();
      for (Path f : files(staging)) {
        String name = f.getFileName().toString();
        if (!name.equals(ModelManifest.FILE_NAME)) {
          sync(f);
          digests.put(name, digest(f));
          betweenSteps.run();
        }
      }
      ModelManifest manifest = staged.withFiles(digests);
      manifest.write(staging);
      sync(staging.resolve(ModelManifest.FILE_NAME));
      betweenSteps.run();
      // The previous model's files that this one does not replace (fold models of an earlier k-fold run, another
      // algorithm's files) would otherwise stay beside it, and be packed into model.tar.gz with it.
      ModelManifest previous = ModelManifest.readIfPresent(modelDir);
      if (previous != null && previous.files() != null) {
        List<String> leftOver = previous.files().keySet().stream().filter(n -> !digests.containsKey(n)).toList();
        if (!leftOver.isEmpty()) {
          Files.write(staging.resolve(LEFT_OVER), leftOver);
          sync(staging.resolve(LEFT_OVER));
        }
      }
      Files.writeString(staging.resolve(COMMIT_MARKER), "");
      sync(staging.resolve(COMMIT_MARKER));
      syncDir(staging);
      betweenSteps.run();
      finish(staging);
      return manifest;
    } catch (IOException e) {
      throw IoFailures.of("cannot save the model into", modelDir, e);
    }
  }

  /** Discards an uncommitted staging folder, or finishes a committed one. Returns what it did, for the log. */
  public String recover() {
    Path staging = modelDir.resolve(STAGING);
    if (Files.isSymbolicLink(staging)) {
      // Sagebox only ever makes a real folder there: a link is not its save, and following it would move or delete
      // files elsewhere.
      return STAGING + " is a link, not a save of Sagebox's; left alone";
    }
    if (!Files.isDirectory(staging)) {
      return "";
    }
    try {
      if (Files.exists(staging.resolve(COMMIT_MARKER))) {
        finish(staging);
        return "finished a model save that was interrupted after its commit point";
      }
      deleteTree(staging);
      return "discarded a model save that was interrupted before its commit point (the previous model is intact)";
    } catch (IOException e) {
      throw IoFailures.of("cannot recover the interrupted save in", staging, e);
    }
  }

  /** As {@link #recover}, but a read-only model folder (a read-only mount when serving) is left as it is. */
  public String recoverIfWritable() {
    Path staging = modelDir.resolve(STAGING);
    if (Files.isDirectory(staging) && !Files.isWritable(modelDir)) {
      return "an interrupted save left " + STAGING + " in a read-only model folder; serving what is in place";
    }
    return recover();
  }

  /** Moves every staged file into place, the manifest last, then removes the staging folder. */
  private void finish(Path staging) throws IOException {
    for (Path f : files(staging)) {
      String name = f.getFileName().toString();
      if (!name.equals(ModelManifest.FILE_NAME) && !name.equals(COMMIT_MARKER) && !name.equals(LEFT_OVER)) {
        Files.move(f, modelDir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        betweenSteps.run();
      }
    }
    Path manifest = staging.resolve(ModelManifest.FILE_NAME);
    if (Files.exists(manifest)) {
      Files.move(manifest, modelDir.resolve(ModelManifest.FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    Path leftOver = staging.resolve(LEFT_OVER);
    if (Files.exists(leftOver)) {
      for (String name : Files.readAllLines(leftOver)) {
        Path old = modelDir.resolve(name).normalize();
        if (!name.isEmpty() && old.getParent() != null && old.getParent().equals(modelDir.normalize())) {
          Files.deleteIfExists(old);
        }
      }
    }
    syncDir(modelDir);
    deleteTree(staging);
  }

  /**
   * Checks the files the manifest lists: present, of the recorded size and checksum. A mismatch is a user error that
   * says which file and how; manifests without checksums (older Sagebox) are not checked.
   */
  public static void verify(Path modelDir, ModelManifest manifest) {
    for (Map.Entry<String, ModelManifest.FileDigest> e : manifest.files().entrySet()) {
      Path f = ModelManifest.fileIn(modelDir, e.getKey(), "files");
      if (!Files.isRegularFile(f)) {
        throw new UserError("model file " + e.getKey() + " listed in " + ModelManifest.FILE_NAME + " is missing; "
            + "the model folder is incomplete: train again or restore it");
      }
      ModelManifest.FileDigest recorded = e.getValue();
      if (recorded == null || recorded.sha256() == null) {
        throw new UserError(ModelManifest.FILE_NAME + " lists " + e.getKey() + " without its size and sha256; the "
            + "manifest is damaged: train again or restore it");
      }
      try {
        ModelManifest.FileDigest actual = digest(f);
        if (actual.size() != recorded.size() || !actual.sha256().equals(recorded.sha256())) {
          throw new UserError("model file " + e.getKey() + " does not match " + ModelManifest.FILE_NAME + " ("
              + actual.size() + " bytes, sha256 " + abbreviated(actual.sha256()) + ", recorded " + recorded.size()
              + " bytes, sha256 " + abbreviated(recorded.sha256()) + "): the folder mixes files of different "
              + "models; train again or restore it");
        }
      } catch (IOException ex) {
        throw IoFailures.of("cannot read", f, ex);
      }
    }
  }

  private static String abbreviated(String sha256) {
    return sha256.length() > 12 ? sha256.substring(0, 12) + "..." : sha256;
  }

  static ModelManifest.FileDigest digest(Path f) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        size += n;
      }
    }
    return new ModelManifest.FileDigest(size, HexFormat.of().formatHex(md.digest()));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static void sync(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.force(true);
    }
  }

  private static void syncDir(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the renames are still atomic.
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package dev.sagebox.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** model.tar.gz as SageMaker makes and reads it, through the system's {@code tar} (in every image Sagebox runs in). */
public final class Tarball {
  private Tarball() {}

  /** The files of {@code dir} (at the archive's top level) into {@code archive}. */
  public static void pack(Path dir, Path archive) throws IOException, InterruptedException {
    run(List.of("tar", "-czf", archive.toString(), "-C", dir.toString(), "."), "pack " + dir);
  }

  /** {@code archive} into {@code dir}; tar itself refuses members with absolute paths or '..'. */
  public static void unpack(Path archive, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run(List.of("tar", "-xzf", archive.toString(), "-C", dir.toString(), "--no-same-owner"), "unpack " + archive);
  }

  private static void run(List<String> cmd, String what) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IOException("cannot " + what + " (is it a gzip-compressed tar?): " + out);
    }
  }
}

package dev.sagebox.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Test helpers: copies of the committed sample /opt/ml trees, and settings pointing at them. */
public final class SampleTrees {
  private SampleTrees() {}

  /** The repository root (tests run in the module folder). */
  public static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("opt-ml-sample")) ? here : here.getParent();
  }

  /** Copies {@code opt-ml-sample/<name>} into {@code target} and returns it. */
  public static Path copy(String name, Path target) {
    Path source = repoRoot().resolve("opt-ml-sample").resolve(name);
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  public static ContainerSettings settings(Path base, String... extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put(SageMakerEnv.BASE_DIR, base.toString());
    env.put(SageMakerEnv.BIND_TO_PORT, "0");
    env.put(SageMakerEnv.BIND_ADDRESS, "127.0.0.1");
    env.put(SageMakerEnv.THREADS, "2");
    for (int i = 0; i < extraEnv.length; i += 2) {
      env.put(extraEnv[i], extraEnv[i + 1]);
    }
    return ContainerSettings.fromEnv(env);
  }
}

package dev.sagebox.container.mme;

import dev.sagebox.engine.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The folder every multi-model {@code url} must lie in ({@code /opt/ml/models} on SageMaker). A url is resolved
 * against it, normalised, and followed through symbolic links; one that ends outside the root is refused, so a
 * request can never make the server read an arbitrary folder.
 */
public final class ModelsRoot {
  private final Path root;

  public ModelsRoot(Path root) {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new UserError("models root " + root + " does not exist (" + e.getMessage() + ")", e);
    }
  }

  public Path path() {
    return root;
  }

  /** The model folder {@code url} names, checked to lie inside the root and to exist. */
  public Path resolve(String url) {
    if (url == null || url.isBlank()) {
      throw new UserError("url is missing; send the model folder, e.g. {\"model_name\": \"m1\", \"url\": \""
          + root.resolve("m1/model") + "\"}");
    }
    Path p;
    try {
      p = root.resolve(url).normalize();
    } catch (InvalidPathException e) {
      throw new UserError("url '" + url + "' is not a path: " + e.getReason(), e);
    }
    if (!p.startsWith(root)) {
      throw new UserError("url '" + url + "' is outside the models root " + root);
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (IOException e) {
      throw new UserError("url '" + url + "': no such model folder under " + root, e);
    }
    if (!real.startsWith(root)) {
      throw new UserError("url '" + url + "' leads outside the models root " + root + " (through a link)");
    }
    if (!Files.isDirectory(real)) {
      throw new UserError("url '" + url + "' is not a folder");
    }
    if (real.equals(root)) {
      throw new UserError("url '" + url + "' is the models root itself; name one model's folder under it");
    }
    return real;
  }
}

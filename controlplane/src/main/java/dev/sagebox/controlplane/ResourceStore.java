package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One kind of resource (training jobs, models, ...): its Describe documents, kept in memory and written through to
 * {@code <state>/<kind>/<name>.json} (replaced atomically), so a restarted API lists everything again. Names are
 * {@link ResourceName}s, so a file name never leaves its folder.
 */
public final class ResourceStore {
  private final Path folder;
  private final Map<String, ObjectNode> docs = new ConcurrentHashMap<>();

  public ResourceStore(Path stateDir, String kind) {
    this.folder = stateDir.resolve(kind);
    try {
      Files.createDirectories(folder);
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
          String name = f.getFileName().toString().replaceFirst("\\.json$", "");
          docs.put(name, (ObjectNode) Json.MAPPER.readTree(f.toFile()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state folder " + folder, e);
    }
  }

  /** Adds a new document; false when the name is taken. */
  public synchronized boolean create(ResourceName name, ObjectNode doc) {
    if (docs.containsKey(name.value())) {
      return false;
    }
    docs.put(name.value(), doc);
    write(name.value(), doc);
    return true;
  }

  public Optional<ObjectNode> get(ResourceName name) {
    ObjectNode d = docs.get(name.value());
    return d == null ? Optional.empty() : Optional.of(d.deepCopy());
  }

  /** Changes a document in place (under the store's lock) and writes it; no-op when it is gone. */
  public synchronized void update(ResourceName name, Consumer<ObjectNode> change) {
    ObjectNode d = docs.get(name.value());
    if (d != null) {
      change.accept(d);
      d.put("LastModifiedTime", Json.now());
      write(name.value(), d);
    }
  }

  public synchronized boolean delete(ResourceName name) {
    if (docs.remove(name.value()) == null) {
      return false;
    }
    try {
      Files.deleteIfExists(folder.resolve(name.value() + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  /** Copies of every document. */
  public List<ObjectNode> all() {
    List<ObjectNode> out = new ArrayList<>();
    docs.values().forEach(d -> out.add(d.deepCopy()));
    return out;
  }

  private void write(String name, ObjectNode doc) {
    try {
      Path tmp = folder.resolve("." + name + ".tmp");
      Json.MAPPER.writeValue(tmp.toFile(), doc);
      Files.move(tmp, folder.resolve(name + ".json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state of " + name + " under " + folder, e);
    }
  }
}

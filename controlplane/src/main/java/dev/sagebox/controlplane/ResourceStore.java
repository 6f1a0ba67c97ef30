package dev.sagebox.controlplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One kind of resource (training jobs, models, ...): its Describe documents, kept in memory and written through to
 * the {@link StateDatabase}, so a restarted API lists everything again.
 */
public final class ResourceStore {
  private final StateDatabase db;
  private final String kind;
  private final Map<String, ObjectNode> docs = new ConcurrentHashMap<>();

  public ResourceStore(StateDatabase db, String kind) {
    this.db = db;
    this.kind = kind;
    try {
      for (Map.Entry<String, String> e : db.load(kind).entrySet()) {
        docs.put(e.getKey(), (ObjectNode) Json.MAPPER.readTree(e.getValue()));
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot read the " + kind + " state: " + e.getMessage(), e);
    }
  }

  /** Adds a new document; false when the name is taken. */
  public synchronized boolean create(ResourceName name, ObjectNode doc) {
    if (docs.containsKey(name.value())) {
      return false;
    }
    // Written first: a document the database refused is not kept (it would live until a restart, unstoppable).
    write(name.value(), doc);
    docs.put(name.value(), doc);
    return true;
  }

  /** A copy, taken under the lock: an update in progress is never seen half done. */
  public synchronized Optional<ObjectNode> get(ResourceName name) {
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
      db.delete(kind, name.value());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot delete " + kind + " " + name + " from the state: " + e.getMessage(), e);
    }
    return true;
  }

  /** Copies of every document, taken under the lock. */
  public synchronized List<ObjectNode> all() {
    List<ObjectNode> out = new ArrayList<>();
    docs.values().forEach(d -> out.add(d.deepCopy()));
    return out;
  }

  private void write(String name, ObjectNode doc) {
    try {
      db.put(kind, name, Json.MAPPER.writeValueAsString(doc));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot write the state of " + kind + " " + name + ": " + e.getMessage(), e);
    }
  }
}

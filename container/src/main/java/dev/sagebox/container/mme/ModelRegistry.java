package dev.sagebox.container.mme;

import dev.sagebox.engine.error.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a multi-model endpoint. Loads of one name happen once (a second, concurrent load waits for the
 * first and then hears it is already loaded); the estimated memory of all loaded models stays within the budget by
 * evicting the least recently used; a model that alone exceeds the budget is refused. Unloading or evicting a model
 * that requests are using lets those requests finish first, and closes it after the last one.
 */
public final class ModelRegistry<M extends AutoCloseable> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("sagebox.mme");

  /** The outcome of a load. */
  public sealed interface LoadResult {
    record Loaded(LoadedModel<?> model, List<ModelName> evicted) implements LoadResult {}

    record AlreadyLoaded(ModelName name) implements LoadResult {}

    /** The model alone needs more than the whole budget (HTTP 507). */
    record TooLarge(String reason) implements LoadResult {}
  }

  /** A request's hold on a model; close it when the request is done. */
  public static final class Lease<M extends AutoCloseable> implements AutoCloseable {
    private final LoadedModel<M> entry;
    private boolean released;

    Lease(LoadedModel<M> entry) {
      this.entry = entry;
    }

    public M model() {
      return entry.model();
    }

    public LoadedModel<M> entry() {
      return entry;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        entry.leave();
      }
    }
  }

  /** One page of {@link #list}. */
  public record Page(List<LoadedModel<?>> models, Optional<String> nextPageToken) {}

  private final ModelsRoot root;
  private final Function<Path, M> loader;
  private final ToLongFunction<Path> estimator;
  private final long budgetBytes;
  private final ConcurrentHashMap<ModelName, CompletableFuture<LoadedModel<M>>> models = new ConcurrentHashMap<>();
  private final AtomicLong clock = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final Object budgetLock = new Object();
  private long used;

  /**
   * @param loader loads a model folder (throws {@link UserError} for a folder it cannot serve)
   * @param estimator estimated bytes a folder's model holds once loaded
   */
  public ModelRegistry(ModelsRoot root, Function<Path, M> loader, ToLongFunction<Path> estimator, long budgetBytes) {
    this.root = root;
    this.loader = loader;
    this.estimator = estimator;
    this.budgetBytes = budgetBytes;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  public long usedBytes() {
    synchronized (budgetLock) {
      return used;
    }
  }

  public long evictions() {
    return evictions.get();
  }

  public int size() {
    return (int) models.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
  }

  public LoadResult load(ModelName name, String url) {
    CompletableFuture<LoadedModel<M>> loaded = models.get(name);
    if (loaded != null && loaded.isDone() && !loaded.isCompletedExceptionally()) {
      return new LoadResult.AlreadyLoaded(name); // 409 whatever the url, as the contract says
    }
    Path folder = root.resolve(url);
    CompletableFuture<LoadedModel<M>> mine = new CompletableFuture<>();
    CompletableFuture<LoadedModel<M>> prior = models.putIfAbsent(name, mine);
    if (prior != null) {
      try {
        prior.get();
        return new LoadResult.AlreadyLoaded(name);
      } catch (ExecutionException e) {
        // The concurrent load failed (and removed itself); this one tries again.
        return load(name, url);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for the concurrent load of " + name, e);
      }
    }
    try {
      long bytes = Math.max(1, estimator.applyAsLong(folder));
      if (bytes > budgetBytes) {
        models.remove(name, mine);
        mine.completeExceptionally(new UserError("too large"));
        return new LoadResult.TooLarge("model " + name + " needs about " + mb(bytes) + " and the whole budget is "
            + mb(budgetBytes) + " (SAGEBOX_MODEL_MEMORY)");
      }
      // Loaded before room is made: a folder that cannot be served fails here without evicting anything for it.
      // (While it loads, the models in memory may exceed the budget by this one.)
      long t0 = System.nanoTime();
      M model = loader.apply(folder);
      List<ModelName> evicted = reserve(name, bytes);
      LoadedModel<M> entry = new LoadedModel<>(name, url, folder, model, bytes, System.nanoTime() - t0,
          clock.incrementAndGet());
      mine.complete(entry);
      LOG.info(String.format(java.util.Locale.ROOT, "loaded %s from %s in %.3f s (~%s; %s of %s in use)", name,
          folder, entry.loadNanos() / 1e9, mb(bytes), mb(usedBytes()), mb(budgetBytes)));
      return new LoadResult.Loaded(entry, evicted);
    } catch (RuntimeException e) {
      models.remove(name, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** Makes room for {@code bytes} by evicting the least recently used models, then books it. */
  private List<ModelName> reserve(ModelName loading, long bytes) {
    List<ModelName> evicted = new ArrayList<>();
    synchronized (budgetLock) {
      while (used + bytes > budgetBytes) {
        Optional<LoadedModel<M>> victim = leastRecentlyUsed(loading);
        if (victim.isEmpty()) {
          break; // only loads in flight hold the rest; admit this one and let the next loads evict.
        }
        LoadedModel<M> v = victim.get();
        if (models.remove(v.name()) != null) {
          used -= v.bytes();
          v.retire();
          evictions.incrementAndGet();
          evicted.add(v.name());
          LOG.info("evicted {} (least recently used, ~{}) to make room for {}", v.name(), mb(v.bytes()), loading);
        }
      }
      used += bytes;
    }
    return evicted;
  }

  private void release(long bytes) {
    synchronized (budgetLock) {
      used -= bytes;
    }
  }

  private Optional<LoadedModel<M>> leastRecentlyUsed(ModelName except) {
    return loaded().stream().filter(m -> !m.name().equals(except)).min(Comparator.comparingLong(
        LoadedModel::lastUsed));
  }

  private List<LoadedModel<M>> loaded() {
    List<LoadedModel<M>> out = new ArrayList<>();
    for (CompletableFuture<LoadedModel<M>> f : models.values()) {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        out.add(f.join());
      }
    }
    return out;
  }

  /** A hold on a loaded model for one request, or empty when it is not loaded (404). */
  public Optional<Lease<M>> acquire(ModelName name) {
    CompletableFuture<LoadedModel<M>> f = models.get(name);
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return Optional.empty();
    }
    LoadedModel<M> entry = f.join();
    return entry.enter(clock.incrementAndGet()) ? Optional.of(new Lease<>(entry)) : Optional.empty();
  }

  public Optional<LoadedModel<M>> describe(ModelName name) {
    CompletableFuture<LoadedModel<M>> f = models.get(name);
    return f == null || !f.isDone() || f.isCompletedExceptionally() ? Optional.empty() : Optional.of(f.join());
  }

  /** Unloads a model; false when it is not loaded. Requests using it finish first. */
  public boolean unload(ModelName name) {
    CompletableFuture<LoadedModel<M>> f = models.get(name);
    if (f == null || !f.isDone() || f.isCompletedExceptionally() || !models.remove(name, f)) {
      return false;
    }
    LoadedModel<M> entry = f.join();
    release(entry.bytes());
    entry.retire();
    LOG.info("unloaded {}", name);
    return true;
  }

  /**
   * Loaded models in name order, at most {@code limit} (1-1,000) after the model named by {@code pageToken} (the
   * previous page's {@code nextPageToken}).
   */
  public Page list(int limit, Optional<String> pageToken) {
    List<LoadedModel<?>> all = new ArrayList<>(loaded());
    all.sort(Comparator.comparing(m -> m.name().value()));
    int from = 0;
    if (pageToken.isPresent()) {
      String after = PageToken.decode(pageToken.get());
      while (from < all.size() && all.get(from).name().value().compareTo(after) <= 0) {
        from++;
      }
    }
    int to = Math.min(all.size(), from + limit);
    Optional<String> next = to < all.size() ? Optional.of(PageToken.encode(all.get(to - 1).name().value()))
        : Optional.empty();
    return new Page(List.copyOf(all.subList(from, to)), next);
  }

  @Override
  public void close() {
    for (ModelName name : new ArrayList<>(models.keySet())) {
      unload(name);
    }
  }

  static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}

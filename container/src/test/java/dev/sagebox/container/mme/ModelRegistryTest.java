package dev.sagebox.container.mme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-model registry: budget and eviction, load-once, unload during use, paging, and path safety. */
class ModelRegistryTest {
  @TempDir
  Path tmp;
  private Path rootDir;
  private ModelsRoot root;
  private final ConcurrentHashMap<Path, AtomicInteger> loads = new ConcurrentHashMap<>();
  private final AtomicInteger useAfterClose = new AtomicInteger();

  /** A stand-in model that notices being used after it was closed. */
  final class FakeModel implements AutoCloseable {
    volatile boolean closed;

    void use() throws InterruptedException {
      if (closed) {
        useAfterClose.incrementAndGet();
      }
      Thread.sleep(0, 200_000);
      if (closed) {
        useAfterClose.incrementAndGet();
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @BeforeEach
  void models() throws Exception {
    rootDir = Files.createDirectories(tmp.resolve("models"));
    for (int i = 0; i < 100; i++) {
      Path m = Files.createDirectories(rootDir.resolve("m" + i + "/model"));
      Files.write(m.resolve("weights.bin"), new byte[1000 + i]);
    }
    root = new ModelsRoot(rootDir);
  }

  private ModelRegistry<FakeModel> registry(long budget) {
    return new ModelRegistry<>(root, folder -> {
      loads.computeIfAbsent(folder, f -> new AtomicInteger()).incrementAndGet();
      return new FakeModel();
    }, folder -> 10_000, budget);
  }

  @Test
  void hundredModelsOnTenModelsOfBudgetUnderConcurrentLoad() throws Exception {
    ModelRegistry<FakeModel> r = registry(100_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicLong served = new AtomicLong();
    AtomicLong notLoaded = new AtomicLong();
    AtomicInteger overBudget = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 600; i++) {
          int m = random.nextInt(100);
          ModelName name = new ModelName("m" + m);
          int op = random.nextInt(10);
          if (op < 3) {
            r.load(name, "m" + m + "/model");
          } else if (op == 3) {
            r.unload(name);
          } else {
            Optional<ModelRegistry.Lease<FakeModel>> lease = r.acquire(name);
            if (lease.isEmpty()) {
              notLoaded.incrementAndGet();
              continue;
            }
            try (ModelRegistry.Lease<FakeModel> l = lease.get()) {
              l.model().use();
              served.incrementAndGet();
            }
          }
          if (r.usedBytes() > r.budgetBytes()) {
            overBudget.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(useAfterClose).hasValue(0);
    assertThat(served.get()).isPositive();
    assertThat(r.evictions()).isPositive();
    assertThat(r.size()).isLessThanOrEqualTo(10);
    assertThat(r.usedBytes()).isEqualTo(r.size() * 10_000L);
    // Between a load's booking and an eviction by the next, in-flight loads may overshoot for a moment, never more
    // than the loads in flight (8 threads).
    assertThat(overBudget.get()).isLessThan(600 * 8 / 10);
    r.close();
    assertThat(r.size()).isZero();
  }

  @Test
  void concurrentLoadsOfOneNameLoadOnce() throws Exception {
    ModelRegistry<FakeModel> r = registry(1_000_000);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ModelRegistry.LoadResult>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return r.load(new ModelName("same"), "m1/model");
      }));
    }
    start.countDown();
    int loaded = 0;
    int conflicts = 0;
    for (Future<ModelRegistry.LoadResult> f : results) {
      ModelRegistry.LoadResult res = f.get(10, TimeUnit.SECONDS);
      loaded += res instanceof ModelRegistry.LoadResult.Loaded ? 1 : 0;
      conflicts += res instanceof ModelRegistry.LoadResult.AlreadyLoaded ? 1 : 0;
    }
    pool.shutdown();
    assertThat(loaded).isEqualTo(1);
    assertThat(conflicts).isEqualTo(15);
    assertThat(loads.get(rootDir.resolve("m1/model").toRealPath())).hasValue(1);
  }

  @Test
  void unloadWhileInUseClosesAfterTheRequest() throws Exception {
    ModelRegistry<FakeModel> r = registry(1_000_000);
    r.load(new ModelName("a"), "m2/model");
    ModelRegistry.Lease<FakeModel> lease = r.acquire(new ModelName("a")).orElseThrow();
    assertThat(r.unload(new ModelName("a"))).isTrue();
    assertThat(lease.model().closed).isFalse();
    assertThat(r.acquire(new ModelName("a"))).isEmpty();
    assertThat(r.unload(new ModelName("a"))).isFalse();
    lease.close();
    assertThat(lease.model().closed).isTrue();
  }

  @Test
  void aModelLargerThanTheBudgetIsRefusedAndLeastRecentlyUsedIsEvicted() {
    ModelRegistry<FakeModel> small = registry(5_000);
    assertThat(small.load(new ModelName("big"), "m3/model"))
        .isInstanceOf(ModelRegistry.LoadResult.TooLarge.class);
    assertThat(small.size()).isZero();
    ModelRegistry<FakeModel> r = registry(30_000);
    r.load(new ModelName("a"), "m1/model");
    r.load(new ModelName("b"), "m2/model");
    r.load(new ModelName("c"), "m3/model");
    r.acquire(new ModelName("a")).orElseThrow().close();
    ModelRegistry.LoadResult res = r.load(new ModelName("d"), "m4/model");
    assertThat(((ModelRegistry.LoadResult.Loaded) res).evicted()).extracting(ModelName::value).containsExactly("b");
    assertThat(r.describe(new ModelName("a"))).isPresent();
    assertThat(r.describe(new ModelName("b"))).isEmpty();
  }

  @Test
  void aFailedLoadLeavesNothingBehind() {
    ModelRegistry<FakeModel> r = new ModelRegistry<>(root, folder -> {
      throw new UserError("not a model");
    }, folder -> 10, 1_000);
    assertThatThrownBy(() -> r.load(new ModelName("x"), "m1/model")).hasMessage("not a model");
    assertThat(r.size()).isZero();
    assertThat(r.usedBytes()).isZero();
  }

  @Test
  void aFolderThatCannotBeServedEvictsNothing() {
    ModelRegistry<FakeModel> r = new ModelRegistry<>(root, folder -> {
      if (folder.getParent().getFileName().toString().equals("m9")) {
        throw new UserError("not a model");
      }
      return new FakeModel();
    }, folder -> 10_000, 20_000);
    r.load(new ModelName("a"), "m1/model");
    r.load(new ModelName("b"), "m2/model");
    assertThatThrownBy(() -> r.load(new ModelName("bad"), "m9/model")).hasMessage("not a model");
    assertThat(r.describe(new ModelName("a"))).isPresent();
    assertThat(r.describe(new ModelName("b"))).isPresent();
    assertThat(r.evictions()).isZero();
    assertThat(r.usedBytes()).isEqualTo(20_000);
    ModelRegistry.LoadResult next = r.load(new ModelName("c"), "m3/model");
    assertThat(((ModelRegistry.LoadResult.Loaded) next).evicted()).extracting(ModelName::value).containsExactly("a");
  }

  @Test
  void listingPagesThroughTheNames() {
    ModelRegistry<FakeModel> r = registry(10_000_000);
    for (int i = 0; i < 25; i++) {
      r.load(new ModelName(String.format("n%02d", i)), "m" + i + "/model");
    }
    List<String> seen = new ArrayList<>();
    Optional<String> token = Optional.empty();
    int pages = 0;
    do {
      ModelRegistry.Page page = r.list(10, token);
      page.models().forEach(m -> seen.add(m.name().value()));
      token = page.nextPageToken();
      pages++;
    } while (token.isPresent());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
    assertThatThrownBy(() -> r.list(10, Optional.of("%%%"))).isInstanceOf(UserError.class)
        .hasMessageContaining("next_page_token");
  }

  @Test
  void aLoadedNameIsA409WhateverTheUrl() {
    ModelRegistry<FakeModel> r = registry(100_000);
    assertThat(r.load(new ModelName("a"), "m1/model")).isInstanceOf(ModelRegistry.LoadResult.Loaded.class);
    assertThat(r.load(new ModelName("a"), "nonexistent/model"))
        .isInstanceOf(ModelRegistry.LoadResult.AlreadyLoaded.class);
  }

  @Test
  void urlsAndNamesCannotReachOutsideTheRoot() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("secret"));
    Files.createSymbolicLink(rootDir.resolve("link"), outside);
    for (String url : List.of("../secret", "/etc", "m1/../../secret", "link", "", "nope/model", ".", "m1/..")) {
      assertThatThrownBy(() -> root.resolve(url)).as(url).isInstanceOf(UserError.class);
    }
    assertThat(root.resolve("m1/model")).isEqualTo(rootDir.resolve("m1/model").toRealPath());
    assertThat(root.resolve(rootDir.resolve("m1/model").toString())).isEqualTo(rootDir.resolve("m1/model")
        .toRealPath());
    for (String name : List.of("", "..", ".", "a/b", "a\\b", "a b", "caf\u00e9", "x".repeat(1025))) {
      assertThatThrownBy(() -> new ModelName(name)).as(name).isInstanceOf(UserError.class);
    }
    assertThat(new ModelName("customer-42.tar.gz").value()).isEqualTo("customer-42.tar.gz");
  }
}

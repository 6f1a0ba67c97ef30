package dev.sagebox.engine.collective;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** N hosts as N threads of one JVM: each allreduce meets at a barrier and reduces the hosts' arrays. */
final class ThreadedCollective {
  private final List<String> hosts;
  private final CyclicBarrier arrive;
  private final CyclicBarrier leave;
  private final float[][] slots;
  private volatile float[] result;

  ThreadedCollective(List<String> hosts) {
    this.hosts = List.copyOf(hosts);
    this.slots = new float[hosts.size()][];
    this.leave = new CyclicBarrier(hosts.size());
    this.arrive = new CyclicBarrier(hosts.size());
  }

  Collective host(int index) {
    return new Collective() {
      @Override
      public List<String> hosts() {
        return hosts;
      }

      @Override
      public int hostIndex() {
        return index;
      }

      @Override
      public float[] allReduce(float[] values, Op op) {
        try {
          slots[index] = values.clone();
          if (arrive.await() == 0) {
            float[] r = slots[0].clone();
            for (int h = 1; h < slots.length; h++) {
              for (int i = 0; i < r.length; i++) {
                r[i] = switch (op) {
                  case SUM -> r[i] + slots[h][i];
                  case MAX -> Math.max(r[i], slots[h][i]);
                  case MIN -> Math.min(r[i], slots[h][i]);
                };
              }
            }
            result = r;
          }
          leave.await();
          float[] out = result.clone();
          leave.await();
          return out;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /** Runs {@code work} on every host at once; each host's outcome (a value or the exception it threw). */
  <T> List<Object> run(Function<Collective, T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int h = 0; h < hosts.size(); h++) {
        Collective c = host(h);
        futures.add(pool.submit((Callable<T>) () -> work.apply(c)));
      }
      List<Object> out = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          out.add(e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}

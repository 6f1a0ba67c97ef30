package dev.sagebox.container.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One training per SageMaker tree at a time: an exclusive lock on {@code output/.sagebox-train.lock}, held for the
 * whole run. A second trainer started on the same tree would discard the first one's model save as interrupted and
 * leave both markers behind; it is refused instead. The lock goes with the process, also when it is killed.
 */
final class TrainLock implements AutoCloseable {
  static final String FILE_NAME = ".sagebox-train.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private TrainLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another training holds it. */
  static Optional<TrainLock> tryAcquire(Path outputDir) throws IOException {
    FileChannel channel = FileChannel.open(outputDir.resolve(FILE_NAME), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another training in this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    return Optional.of(new TrainLock(channel, lock));
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock ends with the channel, or with the process
    }
  }
}

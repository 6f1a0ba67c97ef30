package dev.sagebox.controlplane;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's state: an embedded H2 database in {@code <state>/sagebox-api.mv.db}, one table of Describe documents
 * keyed by kind and name. The schema is versioned: {@link #MIGRATIONS} run in order, each once, recorded in
 * {@code schema_version}. One process owns the folder (H2's file lock): a second API on it is refused.
 */
public final class StateDatabase implements AutoCloseable {
  /** Schema changes, in order; never edit one that has shipped, add the next. */
  static final List<String> MIGRATIONS = List.of(
      "CREATE TABLE resource (kind VARCHAR(64) NOT NULL, name VARCHAR(63) NOT NULL, doc CLOB NOT NULL, "
          + "PRIMARY KEY (kind, name))");

  private final Connection connection;
  private final FileChannel lockFile;

  private StateDatabase(Connection connection, FileChannel lockFile) {
    this.connection = connection;
    this.lockFile = lockFile;
  }

  public static StateDatabase open(Path stateDir) throws SQLException, IOException {
    FileChannel lockFile = FileChannel.open(stateDir.resolve("api.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      throw new IOException("the state folder " + stateDir + " is in use by another 'sagebox api'; give each its own "
          + "with --state-dir");
    }
    String url = "jdbc:h2:file:" + stateDir.resolve("sagebox-api").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    Connection c;
    try {
      c = DriverManager.getConnection(url, "sagebox", "");
    } catch (SQLException e) {
      lockFile.close();
      throw new SQLException("cannot open the state database in " + stateDir + " (is another 'sagebox api' using this"
          + " state folder? give each its own with --state-dir): " + e.getMessage(), e);
    }
    StateDatabase db = new StateDatabase(c, lockFile);
    db.migrate();
    return db;
  }

  /** The schema version after migrating. */
  synchronized int migrate() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
      int version = 0;
      try (ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (r.next()) {
          version = r.getInt(1);
        }
      }
      if (version > MIGRATIONS.size()) {
        throw new SQLException("the state database has schema version " + version + ", newer than this Sagebox ("
            + MIGRATIONS.size() + "); use a newer Sagebox or another --state-dir");
      }
      for (int v = version; v < MIGRATIONS.size(); v++) {
        s.execute(MIGRATIONS.get(v));
        s.execute("INSERT INTO schema_version VALUES (" + (v + 1) + ")");
      }
      return MIGRATIONS.size();
    }
  }

  /** Every document of one kind, by name. */
  synchronized Map<String, String> load(String kind) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement p = connection.prepareStatement("SELECT name, doc FROM resource WHERE kind = ?")) {
      p.setString(1, kind);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getString(2));
        }
      }
    }
    return out;
  }

  synchronized void put(String kind, String name, String doc) throws SQLException {
    try (PreparedStatement p = connection.prepareStatement("MERGE INTO resource (kind, name, doc) KEY (kind, name) "
        + "VALUES (?, ?, ?)")) {
      p.setString(1, kind);
      p.setString(2, name);
      p.setString(3, doc);
      p.executeUpdate();
    }
  }

  synchronized void delete(String kind, String name) throws SQLException {
    try (PreparedStatement p = connection.prepareStatement("DELETE FROM resource WHERE kind = ? AND name = ?")) {
      p.setString(1, kind);
      p.setString(2, name);
      p.executeUpdate();
    }
  }

  @Override
  public synchronized void close() throws SQLException, IOException {
    connection.close();
    lockFile.close();
  }
}

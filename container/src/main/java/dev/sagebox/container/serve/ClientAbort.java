package dev.sagebox.container.serve;

import dev.sagebox.engine.error.EngineException;
import java.io.IOException;

/**
 * Failures that are the client's doing while its body is read: it disconnected, timed out, or broke the framing
 * (bad chunking). They are answered 4xx and logged as one line, never as a server fault.
 */
final class ClientAbort {
  private ClientAbort() {}

  static boolean is(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EngineException) {
        return false;
      }
      if (c instanceof IOException || c.getClass().getName().startsWith("org.eclipse.jetty.http.BadMessage")) {
        return true;
      }
    }
    return false;
  }

  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? "connection closed while reading the request" : m;
  }
}

package dev.sagebox.engine.error;

/**
 * Malformed data, located: the source (file name or "request body"), 1-based line and column (0 when unknown).
 * The message always starts with the location so the first line of a failure file is self-contained.
 */
public final class DataFormatError extends UserError {
  private final String source;
  private final long line;
  private final long column;
  private final String problem;

  public DataFormatError(String source, long line, long column, String problem) {
    super(locate(source, line, column) + ": " + problem);
    this.source = source;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The same problem at another line (for a parser that saw only one line of a larger input). */
  public DataFormatError atLine(long newLine) {
    return new DataFormatError(source, newLine, column, problem);
  }

  /** The problem without its location. */
  public String problem() {
    return problem;
  }

  private static String locate(String source, long line, long column) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(", line ").append(line);
    }
    if (column > 0) {
      sb.append(", column ").append(column);
    }
    return sb.toString();
  }

  public String source() {
    return source;
  }

  public long line() {
    return line;
  }

  public long column() {
    return column;
  }
}

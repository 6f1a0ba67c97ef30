package dev.sagebox.engine.data;

/** The formats training channels may hold (named for the first two; RecordIO-protobuf is binary). */
public enum TextFormat {
  CSV(MediaType.CSV),
  LIBSVM(MediaType.LIBSVM),
  RECORDIO_PROTOBUF(MediaType.RECORDIO_PROTOBUF),
  PARQUET(MediaType.PARQUET);

  private final MediaType mediaType;

  TextFormat(MediaType mediaType) {
    this.mediaType = mediaType;
  }

  public MediaType mediaType() {
    return mediaType;
  }

  /**
   * Guesses the format: RecordIO-protobuf from its magic number, else from the first non-blank line: libsvm when a token after the first is {@code index:value},
   * otherwise CSV. Returns {@code null} when there is no content to look at.
   */
  public static TextFormat sniff(byte[] data) {
    if (data.length >= 4 && (data[0] & 0xff) == 0x0A && (data[1] & 0xff) == 0x23 && (data[2] & 0xff) == 0xD7
        && (data[3] & 0xff) == 0xCE) {
      return RECORDIO_PROTOBUF;
    }
    if (data.length >= 4 && data[0] == 'P' && data[1] == 'A' && data[2] == 'R' && data[3] == '1') {
      return PARQUET;
    }
    int p = 0;
    while (p < data.length) {
      int lineEnd = p;
      while (lineEnd < data.length && data[lineEnd] != '\n') {
        lineEnd++;
      }
      String line = new String(data, p, lineEnd - p, java.nio.charset.StandardCharsets.UTF_8).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        String[] tokens = line.split("[ \t]+");
        for (int i = 1; i < tokens.length; i++) {
          if (tokens[i].matches("\\d+:.*")) {
            return LIBSVM;
          }
        }
        if (tokens.length == 1 && !line.contains(",") && line.contains(":")) {
          return LIBSVM;
        }
        return CSV;
      }
      p = lineEnd + 1;
    }
    return null;
  }
}

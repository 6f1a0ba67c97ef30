package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.csv.CsvReader;

/** {@code text/csv}: one row of features per line, no label, no header; an empty field is missing. */
public final class CsvDecoder implements RequestDecoder {

  @Override
  public MediaType mediaType() {
    return MediaType.CSV;
  }

  @Override
  public Batch decode(byte[] body, MediaType type, InputShape shape) {
    return new CsvReader(CsvReader.sniffDelimiter(body), 1).readFeatures(body, 0, body.length, "request body",
        shape.featureCount(), shape.lenient(), shape.widthHint());
  }
}

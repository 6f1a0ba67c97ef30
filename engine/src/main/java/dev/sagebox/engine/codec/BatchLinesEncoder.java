package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import java.nio.charset.StandardCharsets;

/**
 * The output SageMaker's XGBoost gives in batch transform ({@code SAGEMAKER_BATCH} set, default outputs): one
 * prediction per line as {@code text/csv}, a list written as {@code [0.1, 0.2, 0.7]}, and a final newline.
 */
public final class BatchLinesEncoder implements ResponseEncoder {

  @Override
  public MediaType mediaType() {
    return MediaType.CSV;
  }

  @Override
  public byte[] encode(Predictions predictions) {
    StringBuilder sb = new StringBuilder(predictions.rows() * 12);
    Column first = predictions.columns().values().iterator().next();
    for (int r = 0; r < predictions.rows(); r++) {
      CsvEncoder.writeValue(sb, first, r, CsvEncoder.ListStyle.LIST);
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}

package dev.sagebox.engine.onnx;

import dev.sagebox.engine.codec.CsvDecoder;
import dev.sagebox.engine.codec.InputShape;
import dev.sagebox.engine.codec.JsonDecoder;
import dev.sagebox.engine.codec.JsonLinesDecoder;
import dev.sagebox.engine.codec.LibsvmDecoder;
import dev.sagebox.engine.codec.NpyReader;
import dev.sagebox.engine.codec.RequestDecoder;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.FiniteValues;
import dev.sagebox.engine.data.LibsvmIndexing;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.data.SparseBatch;
import dev.sagebox.engine.error.UnsupportedMediaTypeError;
import dev.sagebox.engine.error.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request body into one tensor per model input, choosing the readings from the inputs' metadata:
 * <ul>
 *   <li>one input {@code [N, F]} (F fixed): {@code text/csv}, {@code text/libsvm} (0-based indices; absent features
 *       are 0), {@code application/json} (the row forms the tabular models accept) and
 *       {@code application/jsonlines}, with Sagebox's usual readers;</li>
 *   <li>one input {@code [N, C, H, W]} with C of 1 or 3: {@code image/png} and {@code image/jpeg} (one image per
 *       request, see {@link ImageTensorDecoder}) and nested JSON;</li>
 *   <li>any one input: {@code application/x-npy} and nested JSON ({@code {"instances": ...}} or a bare list);</li>
 *   <li>any model: {@code application/json} {@code {"inputs": {"name": [...], ...}}}, one entry per input.</li>
 * </ul>
 * A tensor with one axis fewer than its input is read as a single row (the first axis added). Types and shapes are
 * checked when the model runs.
 */
public final class TensorRequestDecoder {
  private final List<TensorSpec> inputs;
  private final ImageTensorDecoder images;
  private final Map<String, RequestDecoder> rowDecoders = new LinkedHashMap<>();

  public TensorRequestDecoder(List<TensorSpec> inputs, long maxImagePixels, int concurrentImageDecodes) {
    this.inputs = List.copyOf(inputs);
    this.images = new ImageTensorDecoder(maxImagePixels, concurrentImageDecodes);
    if (single() != null && single().isRows()) {
      for (RequestDecoder d : List.of(new CsvDecoder(), new LibsvmDecoder(), new JsonDecoder(),
          new JsonLinesDecoder())) {
        rowDecoders.put(d.mediaType().essence(), d);
      }
    }
  }

  /** The content types this model's requests can have, for 415 answers. */
  public List<String> acceptedContentTypes() {
    List<String> types = new ArrayList<>();
    types.add(MediaType.JSON.essence());
    TensorSpec one = single();
    if (one != null) {
      types.add(MediaType.NPY.essence());
      if (one.isRows()) {
        types.addAll(List.of(MediaType.CSV.essence(), MediaType.LIBSVM.essence(), MediaType.JSON_LINES.essence()));
      }
      if (one.isImage()) {
        types.addAll(List.of(MediaType.PNG.essence(), MediaType.JPEG.essence()));
      }
    }
    return types;
  }

  /** Decodes {@code body} sent as {@code contentType} (the header's value; missing or unknown: 415). */
  public Map<String, Tensor> decode(byte[] body, String contentType) {
    MediaType type = mediaTypeOf(contentType);
    TensorSpec one = single();
    String essence = type.essence();
    if (essence.equals(MediaType.JSON.essence())) {
      if (TensorJsonReader.isNamedInputs(body)) {
        return withBatchAxis(new TensorJsonReader("request body").read(body));
      }
      if (one == null) {
        throw new UserError("this model has " + inputs.size() + " inputs (" + ByoOnnxModel.describeAll(inputs)
            + "); send {\"inputs\": {\"" + inputs.get(0).name() + "\": [...], ...}}");
      }
    }
    if (rowDecoders.containsKey(essence)) {
      return Map.of(one.name(), rows(rowDecoders.get(essence).decode(body, type,
          new InputShape((int) one.dim(1), false, LibsvmIndexing.ZERO_BASED, "")), (int) one.dim(1)));
    }
    Tensor t;
    if (essence.equals(MediaType.NPY.essence())) {
      t = new NpyReader("request body").read(body);
    } else if (essence.equals(MediaType.PNG.essence()) || essence.equals(MediaType.JPEG.essence())) {
      t = images.decode(body, one);
    } else {
      Map<String, Tensor> read = new TensorJsonReader("request body").read(body);
      t = read.get(TensorJsonReader.UNNAMED);
    }
    return withBatchAxis(Map.of(one.name(), t));
  }

  private static Tensor rows(Batch batch, int width) {
    FiniteValues.require(batch, "request body");
    float[] values = batch instanceof DenseBatch d ? d.values() : ((SparseBatch) batch).toDense(width);
    return new Tensor.Floats(new long[] {batch.rows(), width}, values);
  }

  /** A tensor one axis short of its input is one row: the first axis is added. */
  private Map<String, Tensor> withBatchAxis(Map<String, Tensor> given) {
    Map<String, Tensor> out = new LinkedHashMap<>(given);
    for (TensorSpec spec : inputs) {
      Tensor t = out.get(spec.name());
      if (t != null && t.shape().length == spec.rank() - 1) {
        out.put(spec.name(), reshaped(t, prepend(t.shape())));
      }
    }
    return out;
  }

  private static long[] prepend(long[] shape) {
    long[] s = new long[shape.length + 1];
    s[0] = 1;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  private static Tensor reshaped(Tensor t, long[] shape) {
    if (t instanceof Tensor.Floats f) {
      return new Tensor.Floats(shape, f.values());
    }
    if (t instanceof Tensor.Doubles d) {
      return new Tensor.Doubles(shape, d.values());
    }
    if (t instanceof Tensor.Ints i) {
      return new Tensor.Ints(shape, i.values());
    }
    return new Tensor.Longs(shape, ((Tensor.Longs) t).values());
  }

  private TensorSpec single() {
    return inputs.size() == 1 ? inputs.get(0) : null;
  }

  private String modelSummary() {
    return "the model's input" + (inputs.size() == 1 ? " is " : "s are ") + ByoOnnxModel.describeAll(inputs);
  }

  /** The parsed Content-Type when this model accepts it; otherwise a 415-class error listing what it accepts. */
  public MediaType mediaTypeOf(String contentType) {
    MediaType type = dev.sagebox.engine.codec.Codecs.parseContentType(contentType, acceptedContentTypes());
    if (!acceptedContentTypes().contains(type.essence())) {
      throw new UnsupportedMediaTypeError(contentType + " (" + modelSummary() + ")", acceptedContentTypes());
    }
    return type;
  }
}

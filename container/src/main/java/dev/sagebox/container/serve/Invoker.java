package dev.sagebox.container.serve;

import dev.sagebox.container.ContainerSettings;
import dev.sagebox.container.SageMakerEnv;
import dev.sagebox.engine.codec.BatchLinesEncoder;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.codec.InputShape;
import dev.sagebox.engine.codec.RequestDecoder;
import dev.sagebox.engine.codec.ResponseEncoder;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.FiniteValues;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.onnx.Tensor;
import dev.sagebox.engine.onnx.TensorResponseEncoder;
import dev.sagebox.engine.xgboost.XGBoostAlgorithm;
import io.javalin.http.Context;

/**
 * Answers one SageMaker-style invocation of a served model (the body already read): decoded by its Content-Type,
 * predicted, encoded by Accept. Used by {@code POST /invocations} and by {@code POST /models/{name}/invoke}.
 */
final class Invoker {
  private static final String ERROR_DETAIL = InferenceServer.ERROR_DETAIL;
  private static final ResponseEncoder BATCH_LINES = new BatchLinesEncoder();
  private final ContainerSettings settings;
  private final Codecs codecs;

  Invoker(ContainerSettings settings, Codecs codecs) {
    this.settings = settings;
    this.codecs = codecs;
  }

  void answer(Context ctx, ServedModel model, byte[] body) {
    if (model instanceof ServedModel.Tensors tensors) {
      tensorInvocation(ctx, tensors, body);
      return;
    }
    Predictor predictor = ((ServedModel.Table) model).predictor();
    RequestDecoder decoder = codecs.decoderFor(ctx.header("Content-Type"));
    ResponseEncoder encoder = codecs.encoderFor(ctx.header("Accept"), settings.defaultAccept());
    if (body.length == 0) {
      ctx.attribute(ERROR_DETAIL, "empty request body");
      ctx.status(204);
      return;
    }
    Batch batch = decoder.decode(body, MediaType.parse(ctx.header("Content-Type")), inputShape(predictor));
    if (batch.rows() == 0) {
      ctx.attribute(ERROR_DETAIL, "request body holds no rows");
      ctx.status(204);
      return;
    }
    FiniteValues.require(batch, "request body");
    Predictions predictions = predictor.predict(batch);
    ctx.attribute("sagebox.rows", batch.rows());
    if (settings.batchOutput() && !predictions.selected()
        && XGBoostAlgorithm.NAME.equals(predictor.manifest().algorithm())) {
      // SageMaker XGBoost's batch-transform output: one prediction per line, whatever the Accept header.
      encoder = BATCH_LINES;
    }
    ctx.status(200).contentType(encoder.mediaType().essence()).result(encoder.encode(predictions));
  }

  /**
   * A bring-your-own ONNX model: the body is decoded from the model's inputs, the outputs are the first one, or
   * those named by the custom-attributes header or SAGEMAKER_INFERENCE_OUTPUT.
   */
  private void tensorInvocation(Context ctx, ServedModel.Tensors served, byte[] body) {
    String contentType = ctx.header("Content-Type");
    served.decoder().mediaTypeOf(contentType);
    String accept = Codecs.negotiate(ctx.header("Accept"), TensorResponseEncoder.PRODUCIBLE,
        settings.defaultAcceptGiven() && TensorResponseEncoder.PRODUCIBLE.contains(
            MediaType.parse(settings.defaultAccept()).essence()) ? settings.defaultAccept() : "application/json");
    if (body.length == 0) {
      ctx.attribute(ERROR_DETAIL, "empty request body");
      ctx.status(204);
      return;
    }
    OutputSelection selection = OutputSelection.of(ctx.header(OutputSelection.HEADER), served);
    java.util.Map<String, Tensor> inputs = served.decoder().decode(body, contentType);
    long rows = inputs.values().iterator().next().shape().length == 0 ? 1
        : inputs.values().iterator().next().shape()[0];
    if (rows == 0) {
      ctx.attribute(ERROR_DETAIL, "request body holds no rows");
      ctx.status(204);
      return;
    }
    java.util.Map<String, Tensor> outputs = served.model().run(inputs, selection.names());
    ctx.attribute("sagebox.rows", rows);
    ctx.status(200).contentType(accept).result(TensorResponseEncoder.encode(accept, outputs, selection.byName()));
  }

  private InputShape inputShape(Predictor predictor) {
    return new InputShape(predictor.featureCount(), settings.lenientFeatures(), predictor.libsvmIndexing(),
        "set " + SageMakerEnv.FEATURE_CHECK + "=lenient to treat missing trailing features as missing values");
  }
}

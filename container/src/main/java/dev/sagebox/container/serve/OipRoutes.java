package dev.sagebox.container.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagebox.container.mme.ModelName;
import dev.sagebox.container.mme.ModelRegistry;
import dev.sagebox.engine.codec.Codecs;
import dev.sagebox.engine.codec.JsonProblems;
import dev.sagebox.engine.codec.InputShape;
import dev.sagebox.engine.data.Batch;
import dev.sagebox.engine.data.DenseBatch;
import dev.sagebox.engine.data.FiniteValues;
import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.UserError;
import dev.sagebox.engine.model.Column;
import dev.sagebox.engine.model.Predictions;
import dev.sagebox.engine.model.Predictor;
import dev.sagebox.engine.onnx.Tensor;
import dev.sagebox.engine.onnx.TensorSpec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol v2 over REST (KServe, Triton, MLServer): health, server and model metadata, and
 * {@code POST /v2/models/{name}/infer} with JSON tensors, for every model Sagebox serves. A single model is named
 * by its folder ({@code model} for /opt/ml/model); on a multi-model endpoint by its loaded name. Error bodies carry
 * the protocol's {@code "error"} field (beside Sagebox's usual ones).
 */
final class OipRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Supplier<Optional<ServedModel>> single;
  private final String singleName;
  private final ModelRegistry<ServedModel> models;
  private final Codecs codecs;
  private final RequestBodies bodies;
  private final String version;

  /** @param models the multi-model registry, or null for a single model from {@code single} */
  OipRoutes(Supplier<Optional<ServedModel>> single, String singleName, ModelRegistry<ServedModel> models,
      Codecs codecs, RequestBodies bodies, String version) {
    this.single = single;
    this.singleName = singleName;
    this.models = models;
    this.codecs = codecs;
    this.bodies = bodies;
    this.version = version;
  }

  void register(RoutesConfig routes) {
    routes.get("/v2", this::server);
    routes.get("/v2/health/live", ctx -> json(ctx, 200, JSON.createObjectNode().put("live", true)));
    routes.get("/v2/health/ready", this::ready);
    routes.get("/v2/models/{name}", this::metadata);
    routes.get("/v2/models/{name}/ready", this::modelReady);
    routes.post("/v2/models/{name}/infer", this::infer);
  }

  private void server(Context ctx) {
    ObjectNode out = JSON.createObjectNode().put("name", "sagebox").put("version", version);
    out.putArray("extensions");
    json(ctx, 200, out);
  }

  private void ready(Context ctx) {
    boolean ready = models != null || single.get().isPresent();
    json(ctx, ready ? 200 : 503, JSON.createObjectNode().put("ready", ready));
  }

  /** A model in use for one request: released when the request is done. */
  private record Held(ServedModel model, AutoCloseable release) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      release.close();
    }
  }

  private Optional<Held> find(String name) {
    if (models != null) {
      return models.acquire(new ModelName(name)).map(l -> new Held(l.model(), l));
    }
    if (!name.equals(singleName)) {
      return Optional.empty();
    }
    return single.get().map(m -> new Held(m, () -> { }));
  }

  private void notFound(Context ctx, String name) {
    ctx.attribute(InferenceServer.ERROR_DETAIL, "model not found");
    ErrorResponses.send(ctx, 404, "model '" + ClientText.printable(name) + "' is not " + (models != null
        ? "loaded" : "served here; this server serves '" + singleName + "'"));
  }

  private void modelReady(Context ctx) throws Exception {
    String name = ctx.pathParam("name");
    Optional<Held> held = find(name);
    if (held.isEmpty()) {
      notFound(ctx, name);
      return;
    }
    held.get().close();
    json(ctx, 200, JSON.createObjectNode().put("name", name).put("ready", true));
  }

  private void metadata(Context ctx) throws Exception {
    String name = ctx.pathParam("name");
    Optional<Held> held = find(name);
    if (held.isEmpty()) {
      notFound(ctx, name);
      return;
    }
    try (Held h = held.get()) {
      ObjectNode out = JSON.createObjectNode().put("name", name);
      out.putArray("versions");
      ArrayNode inputs = JSON.createArrayNode();
      ArrayNode outputs = JSON.createArrayNode();
      if (h.model() instanceof ServedModel.Tensors t) {
        out.put("platform", "onnxruntime_onnx");
        t.model().inputs().forEach(s -> inputs.add(spec(s)));
        t.model().outputs().forEach(s -> outputs.add(spec(s)));
      } else {
        Predictor p = ((ServedModel.Table) h.model()).predictor();
        out.put("platform", "sagebox_" + p.manifest().algorithm());
        ObjectNode in = inputs.addObject().put("name", "input").put("datatype", "FP32");
        in.putArray("shape").add(-1).add(p.featureCount());
        for (Map.Entry<String, Column> c : emptyPrediction(p).entrySet()) {
          Tensor t = OipTensors.tensor(c.getValue());
          ObjectNode o = outputs.addObject().put("name", c.getKey()).put("datatype", OipTensors.datatype(t.type()));
          ArrayNode shape = o.putArray("shape").add(-1);
          if (t.shape().length == 2) {
            shape.add(-1);
          }
        }
      }
      out.set("inputs", inputs);
      out.set("outputs", outputs);
      json(ctx, 200, out);
    }
  }

  /** The output columns a table model gives, learnt from a prediction of zero rows (empty if it refuses). */
  private static Map<String, Column> emptyPrediction(Predictor p) {
    try {
      return p.predict(new DenseBatch(0, p.featureCount(), new float[0])).columns();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private static ObjectNode spec(TensorSpec s) {
    ObjectNode o = JSON.createObjectNode().put("name", s.name()).put("datatype", OipTensors.datatype(s.type()));
    ArrayNode shape = o.putArray("shape");
    for (long d : s.shape()) {
      shape.add(d);
    }
    return o;
  }

  private void infer(Context ctx) throws Exception {
    String name = ctx.pathParam("name");
    byte[] body = bodies.read(ctx);
    if (body == null) {
      return;
    }
    Optional<Held> held = find(name);
    if (held.isEmpty()) {
      notFound(ctx, name);
      return;
    }
    try (Held h = held.get()) {
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UserError("the infer request is not JSON: " + ClientText.printable(JsonProblems.describe(e)));
      }
      if (request == null || !request.isObject() || !request.path("inputs").isArray()
          || request.get("inputs").isEmpty()) {
        throw new UserError("the infer request needs \"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]");
      }
      List<OipTensors.Input> inputs = new ArrayList<>();
      for (int i = 0; i < request.get("inputs").size(); i++) {
        inputs.add(OipTensors.input(request.get("inputs").get(i), i));
      }
      List<String> wanted = new ArrayList<>();
      for (JsonNode o : request.path("outputs")) {
        if (!o.path("name").isTextual()) {
          throw new UserError("outputs[] entries need a \"name\"");
        }
        wanted.add(o.get("name").asText());
      }
      Map<String, Tensor> outputs = h.model() instanceof ServedModel.Tensors t ? runTensors(t, inputs, wanted)
          : runTable(((ServedModel.Table) h.model()).predictor(), inputs, wanted);
      ObjectNode out = JSON.createObjectNode().put("model_name", name);
      if (request.path("id").isTextual()) {
        out.put("id", request.get("id").asText());
      }
      ArrayNode list = out.putArray("outputs");
      outputs.forEach((k, v) -> OipTensors.output(list.addObject(), k, v));
      long[] firstShape = outputs.isEmpty() ? new long[0] : outputs.values().iterator().next().shape();
      // A scalar output (shape []) counts as one row in the metrics.
      ctx.attribute("sagebox.rows", firstShape.length == 0 ? (outputs.isEmpty() ? 0 : 1) : firstShape[0]);
      json(ctx, 200, out);
    }
  }

  private static Map<String, Tensor> runTensors(ServedModel.Tensors t, List<OipTensors.Input> inputs,
      List<String> wanted) {
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (OipTensors.Input in : inputs) {
      byName.put(in.name(), OipTensors.tensor(in));
    }
    for (TensorSpec s : t.model().inputs()) {
      if (!byName.containsKey(s.name())) {
        throw new UserError("input '" + s.name() + "' is missing; the model takes " + t.model().inputs().stream()
            .map(TensorSpec::describe).toList());
      }
    }
    List<String> names = wanted.isEmpty() ? t.model().outputs().stream().map(TensorSpec::name).toList() : wanted;
    return t.model().run(byName, names);
  }

  private Map<String, Tensor> runTable(Predictor p, List<OipTensors.Input> inputs, List<String> wanted) {
    if (inputs.size() != 1) {
      throw new UserError("this model takes one input ([N, " + p.featureCount() + "] numbers, or BYTES rows of CSV)"
          + "; received " + inputs.size());
    }
    OipTensors.Input in = inputs.get(0);
    Batch batch;
    if (in.datatype().equals("BYTES")) {
      List<String> rows = oneLineEach(in, p.featureCount());
      String csv = String.join("\n", rows) + "\n";
      batch = codecs.decoderFor("text/csv").decode(csv.getBytes(StandardCharsets.UTF_8), MediaType.CSV,
          InputShape.strict(p.featureCount()));
      if (batch.rows() != rows.size()) { // each element was checked to be one non-blank line: never expected
        throw new IllegalStateException(rows.size() + " BYTES rows decoded as " + batch.rows());
      }
    } else {
      long[] shape = in.shape();
      boolean oneRow = shape.length == 1;
      if (!(oneRow || shape.length == 2) || shape[shape.length - 1] != p.featureCount()) {
        throw new UserError("input '" + ClientText.printable(in.name()) + "' expects shape [N, " + p.featureCount()
            + "] (or [" + p.featureCount() + "] for one row); received " + java.util.Arrays.toString(shape));
      }
      int rows = oneRow ? 1 : (int) shape[0];
      batch = new DenseBatch(rows, p.featureCount(), OipTensors.floats(in));
    }
    FiniteValues.require(batch, "input '" + in.name() + "'");
    Predictions predictions = p.predict(batch);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String w : wanted) {
      if (!predictions.columns().containsKey(w)) {
        throw new UserError("output '" + ClientText.printable(w) + "' is not given by this model; outputs: "
            + String.join(", ", predictions.columns().keySet()));
      }
    }
    predictions.columns().forEach((k, c) -> {
      if (wanted.isEmpty() || wanted.contains(k)) {
        out.put(k, OipTensors.tensor(c));
      }
    });
    return out;
  }

  /**
   * The BYTES elements of {@code in}, each one CSV row: the CSV reader skips blank lines and splits at line ends, so
   * an empty element or one holding several lines would otherwise shift the outputs against the inputs. One trailing
   * line end per element is allowed and dropped.
   */
  private static List<String> oneLineEach(OipTensors.Input in, int features) {
    List<String> rows = new ArrayList<>(OipTensors.strings(in));
    for (int i = 0; i < rows.size(); i++) {
      String r = rows.get(i);
      r = r.endsWith("\r\n") ? r.substring(0, r.length() - 2) : r.endsWith("\n") ? r.substring(0, r.length() - 1) : r;
      String where = "input '" + ClientText.printable(in.name()) + "' data[" + i + "]";
      if (r.isBlank()) {
        throw new UserError(where + " is empty; each BYTES element is one CSV row of " + features + " numbers");
      }
      if (r.indexOf('\n') >= 0 || r.indexOf('\r') >= 0) {
        throw new UserError(where + " holds more than one line; each BYTES element is one CSV row of " + features
            + " numbers (send rows as separate elements)");
      }
      rows.set(i, r);
    }
    return rows;
  }

  private static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

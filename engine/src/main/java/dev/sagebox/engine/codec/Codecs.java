package dev.sagebox.engine.codec;

import dev.sagebox.engine.data.MediaType;
import dev.sagebox.engine.error.NotAcceptableError;
import dev.sagebox.engine.error.UnsupportedMediaTypeError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The codec registry: request decoders and response encoders keyed by media type, and Accept negotiation. Built
 * by the caller (no global registry); {@link #standard()} gives the set every tabular algorithm uses.
 */
public final class Codecs {
  private final Map<String, RequestDecoder> decoders = new LinkedHashMap<>();
  private final Map<String, ResponseEncoder> encoders = new LinkedHashMap<>();

  public Codecs(List<RequestDecoder> decoders, List<ResponseEncoder> encoders) {
    decoders.forEach(d -> this.decoders.put(d.mediaType().essence(), d));
    encoders.forEach(e -> this.encoders.put(e.mediaType().essence(), e));
  }

  public static Codecs standard() {
    return standard(dev.sagebox.engine.data.GrayscaleImage.DEFAULT_MAX_PIXELS);
  }

  /** The standard set, with images refused over {@code maxImagePixels} (width x height as declared). */
  public static Codecs standard(long maxImagePixels) {
    int decodes = Math.max(2, Runtime.getRuntime().availableProcessors());
    return new Codecs(
        List.of(new CsvDecoder(), new LibsvmDecoder(), new JsonDecoder(), new JsonLinesDecoder(),
            new RecordIOProtobufDecoder(), new ImageDecoder(MediaType.PNG, maxImagePixels, decodes),
            new ImageDecoder(MediaType.JPEG, maxImagePixels, decodes)),
        List.of(new CsvEncoder(), new JsonEncoder(false), new JsonEncoder(true), new RecordIOProtobufEncoder()));
  }

  public List<String> acceptedContentTypes() {
    List<String> names = new ArrayList<>(decoders.keySet());
    if (names.contains("text/libsvm")) {
      names.add(names.indexOf("text/libsvm") + 1, "text/x-libsvm");
    }
    return names;
  }

  /** A Content-Type header value parsed; a missing or malformed one is a 415-class error listing {@code accepted}. */
  public static MediaType parseContentType(String contentType, List<String> accepted) {
    if (contentType == null || contentType.isBlank()) {
      throw new UnsupportedMediaTypeError("(none)", accepted);
    }
    try {
      return MediaType.parse(contentType);
    } catch (RuntimeException e) {
      throw new UnsupportedMediaTypeError(contentType, accepted);
    }
  }

  public List<String> producibleTypes() {
    return List.copyOf(encoders.keySet());
  }

  /** The decoder for a Content-Type header value; unknown or missing types are a 415-class error. */
  public RequestDecoder decoderFor(String contentType) {
    MediaType type = parseContentType(contentType, acceptedContentTypes());
    RequestDecoder d = decoders.get(type.essence());
    if (d == null) {
      throw new UnsupportedMediaTypeError(contentType, acceptedContentTypes());
    }
    String labelSize = type.parameter("label_size");
    if (labelSize != null && !labelSize.strip().equals("1")) {
      // As SageMaker's XGBoost: a request carries no label, and any label_size but 1 is refused.
      throw new UnsupportedMediaTypeError(contentType + " (label_size must be 1 when given)",
          acceptedContentTypes());
    }
    return d;
  }

  /**
   * Picks the encoder for an Accept header: the supported type with the highest q (ties: the order given);
   * missing, empty or {@code *}{@code /*} means {@code defaultType}; {@code text/*} and {@code application/*}
   * match the first producible type of that family.
   */
  public ResponseEncoder encoderFor(String accept, String defaultType) {
    String essence = negotiate(accept, producibleTypes(), defaultType);
    return essence == null ? null : encoders.get(essence);
  }

  /**
   * Content negotiation over any list of producible essences (the rules of {@link #encoderFor}): returns the chosen
   * essence, null when the Accept header is empty and {@code defaultType} is not producible, or throws a
   * {@link NotAcceptableError} naming {@code producible}.
   */
  public static String negotiate(String accept, List<String> producible, String defaultType) {
    String defaultEssence = MediaType.parse(defaultType).essence();
    String fallback = producible.contains(defaultEssence) ? defaultEssence : null;
    if (accept == null || accept.isBlank()) {
      return fallback;
    }
    List<Choice> choices = new ArrayList<>();
    String[] parts = accept.split(",");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.isEmpty()) {
        continue;
      }
      double q = 1.0;
      String[] pieces = part.split(";");
      if (pieces.length == 0 || pieces[0].isBlank()) {
        continue;
      }
      for (int k = 1; k < pieces.length; k++) {
        String p = pieces[k].trim().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      choices.add(new Choice(pieces[0].trim().toLowerCase(Locale.ROOT), q, i));
    }
    choices.sort(Comparator.comparingDouble((Choice c) -> -c.q).thenComparingInt(c -> c.order));
    for (Choice c : choices) {
      if (c.q <= 0) {
        continue;
      }
      String e = match(c.type, fallback, producible);
      if (e != null) {
        return e;
      }
    }
    throw new NotAcceptableError(accept, producible);
  }

  private static String match(String type, String fallback, List<String> producible) {
    if (type.equals("*/*") || type.equals("*")) {
      return fallback;
    }
    if (type.endsWith("/*")) {
      String family = type.substring(0, type.length() - 1);
      if (fallback != null && fallback.startsWith(family)) {
        return fallback;
      }
      return producible.stream().filter(e -> e.startsWith(family)).findFirst().orElse(null);
    }
    try {
      String essence = MediaType.parse(type).essence();
      return producible.contains(essence) ? essence : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private record Choice(String type, double q, int order) {}
}

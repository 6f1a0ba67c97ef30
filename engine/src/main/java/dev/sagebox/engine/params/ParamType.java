package dev.sagebox.engine.params;

import java.util.List;
import java.util.Locale;

/**
 * How one hyperparameter's string becomes a typed value. {@link #parse} throws {@link IllegalArgumentException}
 * whose message says what is accepted; the parser adds the name and the value received.
 */
public interface ParamType<T> {

  T parse(String raw);

  /** What is accepted, in words ("an integer >= 1", "one of a, b, c"). */
  String describe();

  static ParamType<Integer> integer(long min, long max) {
    return new ParamType<>() {
      @Override
      public Integer parse(String raw) {
        long v;
        try {
          String t = raw.strip();
          // SageMaker tuners send integers as "5.0" sometimes; accept an integral decimal.
          if (t.endsWith(".0")) {
            t = t.substring(0, t.length() - 2);
          }
          v = Long.parseLong(t);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected " + describe());
        }
        if (v > max && max >= Integer.MAX_VALUE) {
          throw new IllegalArgumentException("expected " + describe() + "; " + v + " is beyond the largest, "
              + Integer.MAX_VALUE);
        }
        if (v < min || v > max) {
          throw new IllegalArgumentException("expected " + describe());
        }
        return (int) v;
      }

      @Override
      public String describe() {
        if (min <= Integer.MIN_VALUE && max >= Integer.MAX_VALUE) {
          return "a 32-bit integer, " + min + " to " + max;
        }
        if (max >= Integer.MAX_VALUE) {
          return "an integer >= " + min;
        }
        return "an integer in [" + min + ", " + max + "]";
      }
    };
  }

  /** A real number in a range; each bound may be open or closed, or absent (infinite). */
  static ParamType<Double> real(double min, boolean minClosed, double max, boolean maxClosed) {
    return new ParamType<>() {
      @Override
      public Double parse(String raw) {
        double v;
        try {
          v = Double.parseDouble(raw.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected " + describe());
        }
        boolean ok = !Double.isNaN(v)
            && (minClosed ? v >= min : v > min)
            && (maxClosed ? v <= max : v < max);
        if (!ok) {
          throw new IllegalArgumentException("expected " + describe());
        }
        return v;
      }

      @Override
      public String describe() {
        if (Double.isInfinite(max) && Double.isInfinite(min)) {
          return "a number";
        }
        if (Double.isInfinite(max)) {
          return "a number " + (minClosed ? ">= " : "> ") + fmt(min);
        }
        return "a number in " + (minClosed ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxClosed ? "]" : ")");
      }
    };
  }

  static ParamType<Double> real() {
    return real(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
  }

  /** One of fixed words, compared case-insensitively; returns the canonical spelling. */
  static ParamType<String> choice(String... values) {
    List<String> allowed = List.of(values);
    return new ParamType<>() {
      @Override
      public String parse(String raw) {
        String t = raw.strip();
        for (String a : allowed) {
          if (a.equalsIgnoreCase(t)) {
            return a;
          }
        }
        throw new IllegalArgumentException("expected " + describe());
      }

      @Override
      public String describe() {
        return "one of " + String.join(", ", allowed);
      }
    };
  }

  /** true/false in any case (Python's True/False), also 1/0 and yes/no. */
  static ParamType<Boolean> bool() {
    return new ParamType<>() {
      @Override
      public Boolean parse(String raw) {
        switch (raw.strip().toLowerCase(Locale.ROOT)) {
          case "true", "1", "yes" -> {
            return true;
          }
          case "false", "0", "no" -> {
            return false;
          }
          default -> throw new IllegalArgumentException("expected " + describe());
        }
      }

      @Override
      public String describe() {
        return "true or false";
      }
    };
  }

  /** Free text; {@code check} may reject it with a message. */
  static ParamType<String> text(String description) {
    return new ParamType<>() {
      @Override
      public String parse(String raw) {
        return raw.strip();
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}

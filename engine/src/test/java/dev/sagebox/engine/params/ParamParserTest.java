package dev.sagebox.engine.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagebox.engine.error.HyperparameterError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamParserTest {
  static final ParamSpec<Integer> ROUNDS = ParamSpec.of("num_round", ParamType.integer(1, Integer.MAX_VALUE), null,
      ParamSpec.Use.SAGEBOX).requiredParam();
  static final ParamSpec<Double> ETA = ParamSpec.of("eta", ParamType.real(0, true, 1, true), 0.3,
      ParamSpec.Use.NATIVE).alias("learning_rate");
  static final ParamSpec<Boolean> FLAG = ParamSpec.of("use_bias", ParamType.bool(), true, ParamSpec.Use.NATIVE);
  static final ParamSpec<Integer> SILENT = ParamSpec.of("silent", ParamType.integer(0, 1), 0,
      ParamSpec.Use.DEPRECATED).note("use 'verbosity'");
  static final ParamSpec<Boolean> DASK = ParamSpec.of("use_dask", ParamType.bool(), false,
      ParamSpec.Use.NOT_IMPLEMENTED);
  static final ParamParser PARSER = new ParamParser("test", List.of(ROUNDS, ETA, FLAG, SILENT, DASK));

  @Test
  void parsesTypedValuesAndDefaults() {
    ParsedParams p = PARSER.parse(Map.of("num_round", "10", "learning_rate", "0.1", "use_bias", "False"), w -> { });
    assertThat(p.get(ROUNDS)).isEqualTo(10);
    assertThat(p.get(ETA)).isEqualTo(0.1);
    assertThat(p.get(FLAG)).isFalse();
    assertThat(p.isGiven(ETA)).isTrue();
    assertThat(PARSER.parse(Map.of("num_round", "1"), w -> { }).get(ETA)).isEqualTo(0.3);
  }

  @Test
  void integralDecimalsAreAcceptedForIntegers() {
    assertThat(PARSER.parse(Map.of("num_round", "5.0"), w -> { }).get(ROUNDS)).isEqualTo(5);
  }

  @Test
  void missingRequiredNamesTheRule() {
    assertThatThrownBy(() -> PARSER.parse(Map.of(), w -> { }))
        .isInstanceOf(HyperparameterError.class)
        .hasMessage("hyperparameter 'num_round': is required (an integer >= 1)");
  }

  @Test
  void unknownKeySuggestsTheClosestName() {
    assertThatThrownBy(() -> PARSER.parse(Map.of("num_round", "1", "num_rounds", "3"), w -> { }))
        .hasMessageContaining("'num_rounds': is not a hyperparameter of test; did you mean num_round?");
  }

  @Test
  void outOfRangeAndUnparsableValuesNameValueAndRange() {
    assertThatThrownBy(() -> PARSER.parse(Map.of("num_round", "1", "eta", "1.5"), w -> { }))
        .hasMessage("hyperparameter 'eta': value '1.5' is invalid: expected a number in [0, 1]");
    assertThatThrownBy(() -> PARSER.parse(Map.of("num_round", "ten"), w -> { }))
        .hasMessage("hyperparameter 'num_round': value 'ten' is invalid: expected an integer >= 1");
    assertThatThrownBy(() -> ParamType.integer(1, Integer.MAX_VALUE).parse("3000000000"))
        .hasMessage("expected an integer >= 1; 3000000000 is beyond the largest, 2147483647");
    assertThatThrownBy(() -> ParamType.integer(Integer.MIN_VALUE, Integer.MAX_VALUE).parse("-3000000000"))
        .hasMessage("expected a 32-bit integer, -2147483648 to 2147483647");
    assertThatThrownBy(() -> PARSER.parse(Map.of("num_round", "1", "use_bias", "maybe"), w -> { }))
        .hasMessageContaining("expected true or false");
  }

  @Test
  void aliasAndNameTogetherIsAnError() {
    assertThatThrownBy(() -> PARSER.parse(Map.of("num_round", "1", "eta", "0.1", "learning_rate", "0.2"), w -> { }))
        .hasMessageContaining("given twice");
  }

  @Test
  void deprecatedIsAWarningAndNotImplementedOnlyAtDefault() {
    List<String> warnings = new ArrayList<>();
    PARSER.parse(Map.of("num_round", "1", "silent", "1", "use_dask", "false"), warnings::add);
    assertThat(warnings).singleElement().asString().contains("'silent' is deprecated").contains("verbosity");
    assertThatThrownBy(() -> PARSER.parse(Map.of("num_round", "1", "use_dask", "true"), w -> { }))
        .hasMessageContaining("valid but not supported by Sagebox yet");
  }
}

package dev.sagebox.engine.params;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParamSpecTest {
  @Test
  void equalSpecsHashAlikeAndSpecsDifferingInTheirNoteAreStillDifferent() {
    ParamType<Integer> depth = ParamType.integer(0, 100);
    ParamSpec<Integer> a = ParamSpec.of("max_depth", depth, 6, ParamSpec.Use.NATIVE).alias("depth");
    ParamSpec<Integer> b = ParamSpec.of("max_depth", depth, 6, ParamSpec.Use.NATIVE).alias("depth");
    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(a.note("other")).isNotEqualTo(a);
  }

  @Test
  void stringConcatenationIsCompiledAsPlainCode() throws IOException {
    // javac's -XDstringConcat=inline (the parent pom): no class links a concatenation at its first use.
    assertThat(constantPool(ParamParser.class)).doesNotContain("makeConcatWithConstants");
    assertThat(constantPool(dev.sagebox.engine.data.ChannelLoader.class)).doesNotContain("makeConcatWithConstants");
  }

  private static String constantPool(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}

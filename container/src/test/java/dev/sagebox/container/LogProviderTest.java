package dev.sagebox.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The logging provider is named before the first logger (no scan of every jar for it), and it is the one shipped. */
class LogProviderTest {
  @Test
  void mainNamesSlf4jSimpleAsTheProviderAndSlf4jTakesIt() throws Exception {
    Class.forName(Main.class.getName(), true, Main.class.getClassLoader());
    String named = System.getProperty(Main.LOG_PROVIDER_PROPERTY);
    assertThat(named).isEqualTo("org.slf4j.simple.SimpleServiceProvider");
    assertThat(Class.forName(named)).isAssignableTo(org.slf4j.spi.SLF4JServiceProvider.class);
    // slf4j would say on stderr, at every start, that it loads the named provider.
    assertThat(System.getProperty("slf4j.internal.verbosity")).isEqualTo("WARN");
    assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.slf4j.simple.SimpleLoggerFactory");
  }
}

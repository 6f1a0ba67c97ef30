package dev.sagebox.engine.model;

import dev.sagebox.engine.data.TextFormat;
import java.nio.file.Path;
import java.util.List;

/** One input channel: its name, its files, and its declared format ({@code null}: detect from the content). */
public record ChannelInput(String name, List<Path> files, TextFormat format) {
  public ChannelInput {
    files = List.copyOf(files);
  }
}

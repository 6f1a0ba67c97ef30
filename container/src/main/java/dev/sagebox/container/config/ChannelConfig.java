package dev.sagebox.container.config;

import dev.sagebox.engine.data.MediaType;

/**
 * One channel of {@code inputdataconfig.json}; every field may be absent (local mode writes only some).
 *
 * @param contentType the declared type, or {@code null}
 * @param inputMode File, Pipe or FastFile (default File)
 * @param recordWrapped {@code RecordWrapperType: RecordIO} (each S3 object comes wrapped in a RecordIO record)
 */
public record ChannelConfig(String name, MediaType contentType, String inputMode, String distribution,
    boolean recordWrapped) {}

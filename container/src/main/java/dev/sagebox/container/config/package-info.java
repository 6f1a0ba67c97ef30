/** Parsers of the /opt/ml/input/config files, tolerant of every shape SageMaker and local mode write. */
package dev.sagebox.container.config;

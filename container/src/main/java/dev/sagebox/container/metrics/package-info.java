/** Prometheus metrics of the server, on their own port (SAGEBOX_METRICS_PORT), off by default. */
package dev.sagebox.container.metrics;

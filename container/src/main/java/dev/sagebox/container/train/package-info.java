/** The train command: algorithm selection, channels, failure reporting. */
package dev.sagebox.container.train;

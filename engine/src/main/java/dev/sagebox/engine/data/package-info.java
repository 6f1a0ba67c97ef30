/**
 * Data shared by training and serving: media types, dense and sparse batches, and the readers of each format
 * (CSV, libsvm, JSON, JSON Lines) that turn bytes straight into the float arrays native libraries take.
 */
package dev.sagebox.engine.data;

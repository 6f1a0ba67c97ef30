/** The algorithm and predictor abstractions, the model manifest, and prediction results. */
package dev.sagebox.engine.model;

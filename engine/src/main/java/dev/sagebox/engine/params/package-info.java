/** Hyperparameters: declared specs, typed parsing of the all-strings map, and clear errors naming key and rule. */
package dev.sagebox.engine.params;

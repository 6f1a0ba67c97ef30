/**
 * Multi-model endpoints (CONTRACT.md §B.5): the registry of loaded models with its memory budget and LRU
 * eviction, and the checks on the names and folders the platform sends.
 */
package dev.sagebox.container.mme;

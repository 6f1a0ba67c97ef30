/**
 * Training on several hosts: the hosts of one job and the collective operations they share (XGBoost's own
 * communicator, started by its tracker), and the checks every host runs before training so that a host whose data
 * differs is named instead of silently skewing the model.
 */
package dev.sagebox.engine.collective;

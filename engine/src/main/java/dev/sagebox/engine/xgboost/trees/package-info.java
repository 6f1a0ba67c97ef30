/**
 * A Java evaluator for XGBoost tree ensembles, compiled from the model's JSON form: used for small batches, where
 * the cost of a native call is larger than the tree walk itself.
 */
package dev.sagebox.engine.xgboost.trees;

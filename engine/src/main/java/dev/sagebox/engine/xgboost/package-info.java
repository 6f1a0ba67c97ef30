/** XGBoost (xgboost4j): SageMaker-compatible hyperparameters, training loop, model files and prediction outputs. */
package dev.sagebox.engine.xgboost;

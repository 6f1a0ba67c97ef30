/** SageMaker's linear learner on ND4J: binary, multiclass and regression, several models in parallel. */
package dev.sagebox.engine.linear;

/** The container: the train/serve entry point, the /opt/ml contract and the SageMaker environment. */
package dev.sagebox.container;

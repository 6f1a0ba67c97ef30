/** The serve command: the SageMaker inference HTTP server. */
package dev.sagebox.container.serve;

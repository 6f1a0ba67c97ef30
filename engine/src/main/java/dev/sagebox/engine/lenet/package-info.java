/** LeNet (CNN) on MNIST-style digits with deeplearning4j: readers for IDX, CSV and image folders, training, serving. */
package dev.sagebox.engine.lenet;

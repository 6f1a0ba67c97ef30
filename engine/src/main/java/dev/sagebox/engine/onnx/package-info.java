/** ONNX models: sessions in ONNX Runtime, graphs written from Sagebox's own models, tensors in and out. */
package dev.sagebox.engine.onnx;

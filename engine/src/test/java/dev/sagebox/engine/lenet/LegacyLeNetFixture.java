package dev.sagebox.engine.lenet;

import dev.sagebox.engine.data.ChannelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Writes {@value #RESOURCE}: a LeNet model as Sagebox releases before SameDiff wrote it (DL4J MultiLayerNetwork,
 * ModelSerializer zip, the same layer configuration), with tiny widths so that the file stays small, trained for a
 * few batches on the shipped sample so that its answers are not uniform. Run from the engine folder:
 * {@code java -cp <test classpath> dev.sagebox.engine.lenet.LegacyLeNetFixture}.
 */
final class LegacyLeNetFixture {
  static final String RESOURCE = "src/test/resources/lenet/legacy-lenet-model.zip";
  static final int CONV1 = 3;
  static final int CONV2 = 4;
  static final int DENSE = 16;

  private LegacyLeNetFixture() {}

  /** The network of earlier releases' LeNetNetwork.create (Adam, Xavier), at the given widths. */
  static MultiLayerNetwork legacyNetwork(int conv1, int conv2, int dense, long seed) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(0.01))
        .weightInit(WeightInit.XAVIER).list()
        .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(conv1).activation(Activation.RELU)
            .build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(conv2).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(dense).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(Images.CLASSES)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutionalFlat(Images.SIDE, Images.SIDE, 1))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  public static void main(String[] args) throws IOException {
    Images train = ImageReader.read("train", ChannelFiles.list(LeNetTest.SAMPLE.resolve("input/data/train")));
    MultiLayerNetwork net = legacyNetwork(CONV1, CONV2, DENSE, 7);
    int batch = 50;
    for (int from = 0; from + batch <= train.count(); from += batch) {
      float[] x = java.util.Arrays.copyOfRange(LeNetTrainer.scaled(train.pixels(), train.count()),
          from * Images.SIZE, (from + batch) * Images.SIZE);
      float[] y = new float[batch * Images.CLASSES];
      for (int i = 0; i < batch; i++) {
        y[i * Images.CLASSES + train.labels()[from + i]] = 1f;
      }
      net.fit(new DataSet(Nd4j.createFromArray(x).reshape(batch, Images.SIZE),
          Nd4j.createFromArray(y).reshape(batch, Images.CLASSES)));
    }
    Path out = Path.of(RESOURCE);
    Files.createDirectories(out.getParent());
    ModelSerializer.writeModel(net, out.toFile(), false);
    System.out.println("wrote " + out.toAbsolutePath() + " (" + Files.size(out) + " bytes)");
  }
}

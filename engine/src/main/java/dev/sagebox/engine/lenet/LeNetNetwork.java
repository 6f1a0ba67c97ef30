package dev.sagebox.engine.lenet;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The LeNet network: conv 5x5 -> max-pool -> conv 5x5 -> max-pool -> dense (ReLU) -> softmax over 10 digits. */
final class LeNetNetwork {
  private LeNetNetwork() {}

  static MultiLayerNetwork create(LeNetParams p) {
    IUpdater updater = switch (p.optimizer()) {
      case "sgd" -> new Sgd(p.learningRate());
      case "nesterov" -> new Nesterovs(p.learningRate(), p.momentum());
      default -> new Adam(p.learningRate());
    };
    NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
        .seed(p.seed())
        .updater(updater)
        .weightInit(WeightInit.XAVIER);
    if (p.weightDecay() > 0) {
      base.weightDecay(p.weightDecay());
    }
    MultiLayerConfiguration conf = base.list()
        .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(p.conv1()).activation(Activation.RELU)
            .build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(p.conv2()).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(p.dense()).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(Images.CLASSES)
            .activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutionalFlat(Images.SIDE, Images.SIDE, 1))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }
}

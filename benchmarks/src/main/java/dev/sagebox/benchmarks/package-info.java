/**
 * JMH benchmarks for Sagebox: training-input decoding (CSV, libsvm), request decoding (CSV, JSON), prediction
 * (XGBoost, linear learner, LeNet) and a real {@code POST /invocations} round trip. Inputs are generated in each
 * benchmark's setup from fixed seeds ({@link dev.sagebox.benchmarks.SyntheticData}); models are trained once per
 * trial into a temporary folder. Each benchmark's class comment says which unit it reports and how to read it.
 *
 * <p>Build with {@code mvn -B package} (or {@code -pl benchmarks -am}); run from the repository root:
 * <pre>
 * # full run (annotation defaults: 1 fork, 3x2 s warm-up (10x2 s for the round trip), 5x2 s measured; ~6 min)
 * OMP_WAIT_POLICY=PASSIVE java -jar benchmarks/target/benchmarks.jar -rf json -rff benchmarks/target/jmh.json
 * # smoke run (~1 min; numbers only show that everything runs)
 * OMP_WAIT_POLICY=PASSIVE java -jar benchmarks/target/benchmarks.jar -f 1 -wi 1 -i 1 -w 1s -r 1s
 * # one benchmark, chosen parameters
 * java -jar benchmarks/target/benchmarks.jar PredictBenchmark -p model=xgboost -p rows=1
 * </pre>
 * {@code OMP_WAIT_POLICY=PASSIVE} keeps idle OpenMP threads (XGBoost, ND4J) from spinning and stealing CPU from
 * the thread being measured; forks inherit it from the environment.
 */
package dev.sagebox.benchmarks;

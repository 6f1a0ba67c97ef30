# Sagebox image: `docker run IMAGE train` / `docker run IMAGE serve`, as SageMaker runs it.
#
#   docker build -t sagebox .                                      # from Docker Hub images
#   docker/make-base-images.sh && docker build \
#     --build-arg BUILD_IMAGE=sagebox/build-base:bookworm \
#     --build-arg BASE_IMAGE=sagebox/runtime-base:bookworm -t sagebox .   # no registry: local debootstrap bases
#
#   docker build --build-arg VARIANT=cuda -t sagebox:cuda .          # CUDA builds of XGBoost, ND4J, ONNX Runtime
#                                                                    # (mvn -P cuda; README "CUDA variant")
#
# BUILD_IMAGE needs a JDK 17 and Maven >= 3.8 (and Maven Central); BASE_IMAGE a glibc Linux with a Java 17 runtime
# (or a Debian/Ubuntu apt able to install one). BuildKit (DOCKER_BUILDKIT=1) is faster; the legacy builder works too.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG BASE_IMAGE=eclipse-temurin:17-jre-jammy

# --- Every pom.xml of the tree and the .proto schemas, alone: the dependency layer below is rebuilt only when one
# of them changes. The stub build needs the schemas: protobuf-maven-plugin fails without a .proto to compile, and
# only with one does it fetch the protoc executable that the offline build runs.
FROM ${BUILD_IMAGE} AS poms
COPY . /src
RUN cd /src && find . \( -name pom.xml -o -path '*/src/main/proto/*.proto' \) -type f -not -path '*/target/*' \
      | while read -r p; do mkdir -p "/poms/$(dirname "$p")" && cp "$p" "/poms/$p"; done

# --- Build: dependencies and plugins first (cached layer), then the sources, offline.
FROM ${BUILD_IMAGE} AS build
# cpu (default) or cuda: the Maven profile that chooses the native builds of XGBoost, ND4J and ONNX Runtime.
ARG VARIANT=cpu
WORKDIR /build
RUN case "$VARIANT" in cpu|cuda) ;; *) echo "VARIANT must be cpu or cuda, not '$VARIANT'" >&2; exit 2 ;; esac
COPY --from=poms /poms/ ./
# The same `package -DskipTests` on the poms alone (no Java sources) downloads exactly what the real build needs:
# dependencies of every scope it compiles against and the plugins it runs (dependency:go-offline misses the
# reactor's own snapshot modules, some plugin dependencies and protoc). The stub build's output is thrown away.
RUN mvn -B -ntp -q -Dmaven.repo.local=/m2 -P "$VARIANT" -pl container,controlplane -am package -DskipTests \
 && find . -name target -type d -prune -exec rm -rf {} +
COPY . ./
RUN mvn -B -ntp -o -Dmaven.repo.local=/m2 -P "$VARIANT" -pl container,controlplane -am package -DskipTests \
 && mkdir -p /dist/deps/opt/sagebox/lib/lib /dist/app/opt/sagebox/bin /dist/app/opt/sagebox/lib/lib \
 && install -m 755 bin/sagebox /dist/app/opt/sagebox/bin/sagebox \
 && install -m 755 bin/make-class-archive /dist/app/opt/sagebox/bin/make-class-archive \
 && mkdir -p /dist/sample && cp -r opt-ml-sample/xgboost/input /dist/sample/input \
 && cp container/target/sagebox-container.jar /dist/app/opt/sagebox/lib/ \
 && cp controlplane/target/sagebox-controlplane.jar /dist/app/opt/sagebox/lib/ \
 && for j in container/target/lib/*.jar controlplane/target/lib/*.jar; do \
      case "${j##*/}" in \
        sagebox-*) cp "$j" /dist/app/opt/sagebox/lib/lib/ ;; \
        *) cp "$j" /dist/deps/opt/sagebox/lib/lib/ ;; \
      esac; \
    done
# The cuda variant: JavaCPP unpacks ND4J's CUDA library and the CUDA 11.6 / cuDNN libraries (3.1 GB) from their
# jars on first use; done here once, into the /tmp/javacpp-cache the runtime's JAVA_OPTS names, instead of at each
# container start (about 45 s). Loading them needs no GPU (libcuda is opened only when a device is used), so this
# also fails the build if one of them cannot be loaded.
RUN mkdir -p /dist/cache/tmp && chmod 1777 /dist/cache/tmp \
 && if [ "$VARIANT" = cuda ]; then \
      printf '%s\n' 'try { org.bytedeco.javacpp.Loader.load(Class.forName("org.nd4j.linalg.jcublas.bindings.Nd4jCuda"));' \
        ' System.out.println("ND4J CUDA natives: loaded"); } catch (Throwable t) { System.out.println(t); System.exit(1); }' \
        '/exit' > /tmp/warm.jsh \
   && jshell --class-path "$(ls /dist/deps/opt/sagebox/lib/lib/*.jar | tr '\n' :)" \
        -R-Dorg.bytedeco.javacpp.cachedir=/dist/cache/tmp/javacpp-cache /tmp/warm.jsh \
   && rm -f /dist/cache/tmp/javacpp-cache/.lock && chmod -R a+rwX /dist/cache/tmp/javacpp-cache; \
    fi

# --- Runtime: a JRE, libgomp1 (xgboost4j's native library needs it), the launcher and the jars.
FROM ${BASE_IMAGE}
# Installs only what the base lacks: nothing on sagebox/runtime-base, libgomp1 on eclipse-temurin.
RUN set -eu; missing=""; \
    command -v java >/dev/null 2>&1 || missing="openjdk-17-jre-headless"; \
    dpkg -s libgomp1 >/dev/null 2>&1 || missing="$missing libgomp1"; \
    if [ -n "$missing" ]; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; \
      apt-get clean; rm -rf /var/lib/apt/lists/*; \
    fi; \
    mkdir -p /opt/ml/model /opt/ml/input/config /opt/ml/input/data /opt/ml/output/data /opt/ml/code; \
    chmod -R a+rwX /opt/ml; chmod 1777 /tmp
# Third-party jars (change rarely) in their own layer, then Sagebox's own jars and launcher.
COPY --from=build /dist/deps/ /
COPY --from=build /dist/cache/ /
COPY --from=build /dist/app/ /
# The class-data archive `train` starts from (bin/make-class-archive; ~0.3 s less start-up): made here by training
# the bundled sample once, with this image's JVM and jars, the only ones it is valid for. Without it (should the
# sample training fail here) training works as before, only starts slower.
COPY --from=build /dist/sample/ /tmp/class-archive-sample/
RUN /opt/sagebox/bin/make-class-archive /tmp/class-archive-sample \
      || echo "make-class-archive failed: the image trains without a class-data archive" >&2; \
    rm -rf /tmp/class-archive-sample /tmp/xgboost4j* /tmp/hsperfdata_*
ARG VARIANT=cpu

LABEL org.opencontainers.image.title="sagebox" \
      org.opencontainers.image.description="Self-hosted engine honouring the Amazon SageMaker container contract" \
      com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true \
      com.amazonaws.sagemaker.capabilities.multi-models=true
# The JVM sizes its heap from the container's memory limit (no -Xmx); the launcher adds -XX:+ExitOnOutOfMemoryError for serve.
# xgboost4j 3.4.0 copies its native library (17 MB) out of its jar into java.io.tmpdir (/tmp, mode 1777) at each
# start, so any --user works; with --read-only give it `--tmpfs /tmp:exec` (noexec fails). No pre-extraction:
# -Dxgboostruntime.native.xgboost4j only renames the resource inside the class path, still copied to /tmp.
# ND4J's natives (the oneDNN build: the linear learner and LeNet) unpack through JavaCPP on first use, only when one
# of those trains or a LeNet model is served: into /tmp, writable by any --user (about 450 MB, a few seconds; XGBoost
# never loads them).
# SAGEBOX_VARIANT: for people and scripts (the start-up "compute:" line reads the class path itself).
# NVIDIA_DRIVER_CAPABILITIES: what nvidia-container-toolkit mounts from the host with --gpus (libcuda: compute).
ENV OMP_WAIT_POLICY=PASSIVE \
    SAGEBOX_VARIANT=${VARIANT} \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp-cache" \
    PATH=/opt/sagebox/bin:$PATH
EXPOSE 8080
# Exec form: `train` / `serve` arrive as arguments and the launcher execs java, so the JVM is PID 1 and gets SIGTERM.
ENTRYPOINT ["/opt/sagebox/bin/sagebox"]

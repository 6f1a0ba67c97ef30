/* A stand-in for the NVIDIA driver's libcuda.so.1, for CudaDriverProbeTest on machines without a GPU: the driver
 * API entry points the probe calls, answering with two made-up devices (a compute capability 9.0 one and an 8.6
 * one), or, built with -DNO_DEVICE, failing cuInit as the real driver does when no GPU is visible. */
#include <stddef.h>
#include <string.h>

int cuDriverGetVersion(int *v) { *v = 13000; return 0; }
#ifdef NO_DEVICE
int cuInit(unsigned int flags) { (void) flags; return 100; }
#else
int cuInit(unsigned int flags) { (void) flags; return 0; }
#endif
int cuGetErrorName(int status, const char **out) {
  *out = status == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN";
  return 0;
}
int cuDeviceGetCount(int *n) { *n = 2; return 0; }
int cuDeviceGet(int *dev, int ordinal) { *dev = ordinal; return 0; }
int cuDeviceGetName(char *name, int len, int dev) {
  strncpy(name, dev == 0 ? "Fake H200" : "Fake A10", (size_t) len);
  return 0;
}
int cuDeviceGetAttribute(int *value, int attribute, int dev) {
  if (attribute == 75) { *value = dev == 0 ? 9 : 8; return 0; }
  if (attribute == 76) { *value = dev == 0 ? 0 : 6; return 0; }
  return 1;
}
int cuDeviceTotalMem_v2(size_t *bytes, int dev) { *bytes = dev == 0 ? 150754820096UL : 23580639232UL; return 0; }

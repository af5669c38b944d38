// XNNPACK and pthreadpool as Debian 12 ships them (libxnnpack-dev 0.0~git20220216, libpthreadpool-dev).
// Neither ships a pkg-config file, so the module map links both libraries by name. Only the
// XNNPACKShim target includes this; Swift code calls the shim, never XNNPACK itself.
#include <xnnpack.h>
#include <pthreadpool.h>

// libproc2 (procps-ng 4), the successor of libprocps. Its *_GET / *_VAL accessors are
// statement-expression macros Swift cannot import; CProc2_* wrappers stand in for them.
#include <libproc2/meminfo.h>
#include <libproc2/stat.h>
#include <libproc2/misc.h>

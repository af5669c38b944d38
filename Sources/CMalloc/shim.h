// glibc's malloc tuning (mallopt, malloc_trim), which the Swift Glibc module does not export.
#include <malloc.h>

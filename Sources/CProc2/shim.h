// libproc2 (procps-ng 4), the successor of libprocps. Its *_GET / *_VAL accessors are
// statement-expression or field-path macros Swift cannot import; CProc2_* wrappers stand in for them.
#include <libproc2/meminfo.h>
#include <libproc2/stat.h>
#include <libproc2/misc.h>

// STAT_VAL(index, ull_int, stack, info): a macro over a union field path, so Swift cannot call it.
static inline unsigned long long CProc2_stat_val_ull(const struct stat_stack *stack, int index) {
    return stack->head[index].result.ull_int;
}

// STAT_VAL(index, s_int, stack, info) for the CPU id item: same macro, signed int member.
static inline int CProc2_stat_val_sint(const struct stat_stack *stack, int index) {
    return stack->head[index].result.s_int;
}

// MEMINFO_VAL(index, ul_int, stack, info): a macro over a union field path, so Swift cannot call it.
static inline unsigned long CProc2_meminfo_val_ul(const struct meminfo_stack *stack, int index) {
    return stack->head[index].result.ul_int;
}

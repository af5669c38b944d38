// renameat2(2) with RENAME_EXCHANGE, which the Swift Glibc module does not export (glibc declares
// renameat2 only under _GNU_SOURCE). Linux 3.15+; filesystems without it answer EINVAL.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Swaps the files at `from` and `to` atomically; both must exist. Returns 0, or -1 with errno set.
static inline int edgeprobe_rename_exchange(const char *from, const char *to) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 1u << 1 /* RENAME_EXCHANGE */);
}

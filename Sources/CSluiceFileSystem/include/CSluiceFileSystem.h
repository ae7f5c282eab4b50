#ifndef CSLUICE_FILE_SYSTEM_H
#define CSLUICE_FILE_SYSTEM_H

#include <stdint.h>

/// Allocates disk blocks for `length` bytes at `offset` of the open file `fd` without changing its
/// size (Linux `fallocate` with `FALLOC_FL_KEEP_SIZE`), so that later writes there find their
/// blocks already allocated. Returns 0, or the `errno` of the failure (`EOPNOTSUPP` where the file
/// system or platform cannot do it). Swift's Glibc module does not expose `fallocate`.
int sluice_preallocate(int fd, int64_t offset, int64_t length);

#endif

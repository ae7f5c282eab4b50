#ifndef CSLUICE_FILE_SYSTEM_H
#define CSLUICE_FILE_SYSTEM_H

#include <stdint.h>

/// Allocates disk blocks for `length` bytes at `offset` of the open file `fd` without changing its
/// size (Linux `fallocate` with `FALLOC_FL_KEEP_SIZE`), so that later writes there find their
/// blocks already allocated. Returns 0, or the `errno` of the failure (`EOPNOTSUPP` where the file
/// system or platform cannot do it). Swift's Glibc module does not expose `fallocate`.
int sluice_preallocate(int fd, int64_t offset, int64_t length);

/// Starts the disk write of the dirty page-cache pages in `length` bytes at `offset` of `fd`
/// without waiting for it (Linux `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so that a later
/// fsync finds less to write. Makes nothing durable by itself. Returns 0, or the `errno` of the
/// failure (`EOPNOTSUPP` on other platforms). Swift's Glibc module does not expose
/// `sync_file_range`.
int sluice_start_writeback(int fd, int64_t offset, int64_t length);

#endif

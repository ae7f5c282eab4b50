// Linux's fallocate(2) and sync_file_range(2) need _GNU_SOURCE, which Swift's view of glibc does
// not define.
#define _GNU_SOURCE
#include "CSluiceFileSystem.h"

#include <errno.h>

#if defined(__linux__)
#include <fcntl.h>
#include <linux/falloc.h>

int sluice_preallocate(int fd, int64_t offset, int64_t length) {
    if (offset < 0 || length <= 0) return EINVAL;
    int result;
    do {
        result = fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)length);
    } while (result != 0 && errno == EINTR);
    return result == 0 ? 0 : errno;
}

int sluice_start_writeback(int fd, int64_t offset, int64_t length) {
    if (offset < 0 || length <= 0) return EINVAL;
    int result;
    do {
        result = sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
    } while (result != 0 && errno == EINTR);
    return result == 0 ? 0 : errno;
}
#else
// Elsewhere both report that the platform cannot; callers then stop asking.
int sluice_preallocate(int fd, int64_t offset, int64_t length) {
    (void)fd;
    (void)offset;
    (void)length;
    return EOPNOTSUPP;
}

int sluice_start_writeback(int fd, int64_t offset, int64_t length) {
    (void)fd;
    (void)offset;
    (void)length;
    return EOPNOTSUPP;
}
#endif

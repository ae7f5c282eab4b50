// Linux's sync_file_range(2) needs _GNU_SOURCE, which Swift's view of glibc does not define.
#define _GNU_SOURCE
#include "CSluiceFileSystem.h"

#include <errno.h>

#if defined(__linux__)
#include <fcntl.h>

int sluice_start_writeback(int fd, int64_t offset, int64_t length) {
    if (offset < 0 || length <= 0) return EINVAL;
    int result;
    do {
        result = sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
    } while (result != 0 && errno == EINTR);
    return result == 0 ? 0 : errno;
}
#else
int sluice_start_writeback(int fd, int64_t offset, int64_t length) {
    (void)fd;
    (void)offset;
    (void)length;
    return EOPNOTSUPP;
}
#endif

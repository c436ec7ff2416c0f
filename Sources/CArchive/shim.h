#include <archive.h>
#include <archive_entry.h>

// The entry-type constants (AE_IFREG, …) are macros with casts, which Swift does not import: the
// archive reader asks these instead.

static inline int CArchive_entry_is_regular(struct archive_entry *entry) {
    return archive_entry_filetype(entry) == AE_IFREG;
}

static inline int CArchive_entry_is_directory(struct archive_entry *entry) {
    return archive_entry_filetype(entry) == AE_IFDIR;
}

static inline int CArchive_entry_is_symlink(struct archive_entry *entry) {
    return archive_entry_filetype(entry) == AE_IFLNK;
}

static inline int CArchive_ok(void) { return ARCHIVE_OK; }
static inline int CArchive_eof(void) { return ARCHIVE_EOF; }
static inline int CArchive_warn(void) { return ARCHIVE_WARN; }

/* xfilter.c - xz, lzma, bzip2, zstd, lz4, lzip and compress output through
 * libarchive's write filters: the "raw" format writes one entry's bytes as
 * they are, so the filter chain is all that shapes the file.
 *
 * Ownership: as in xfilter.h.
 */
#include "xfilter.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef CX_HAVE_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>

#include "dl_table.h"

/* libarchive is opened (dlopen) the first time a name asks for one of its
 * compressors, not linked: linking it loads libxml2, ICU and libstdc++
 * into every run, some 2 ms of CPU per process, for output most runs never
 * write.  CX_LIBARCHIVE_SONAME comes from the build (core/CMakeLists.txt). */
/* clang-format off */
#define LA_FUNCS(X) \
  X(archive_write_new) X(archive_write_add_filter_by_name) X(archive_write_free) \
  X(archive_error_string) X(archive_entry_new) X(archive_write_set_format_raw) \
  X(archive_write_set_bytes_per_block) X(archive_write_set_bytes_in_last_block) \
  X(archive_write_open) X(archive_entry_set_pathname) X(archive_entry_set_filetype) \
  X(archive_write_header) X(archive_entry_free) X(archive_write_data) X(archive_write_close)
/* clang-format on */

static struct { LA_FUNCS(CX_DL_POINTER) } la;
static const char *const la_names[] = {LA_FUNCS(CX_DL_NAME)};
static struct cx_dl_lib la_lib = CX_DL_LIB(CX_LIBARCHIVE_SONAME, la_names, la);

static bool la_loaded(void) {
  return cx_dl_open(&la_lib);
}
#endif

/* Compressed names other than ".gz" (which the core's own encoder writes):
 * the extension and libarchive's filter name, NULL for none. */
static const struct {
  const char *ext, *filter;
} names[] = {
    {".xz", "xz"},      {".lzma", "lzma"}, {".bz2", "bzip2"},
    {".zst", "zstd"},   {".lz4", "lz4"},   {".lz", "lzip"},
    {".Z", "compress"}, {".lzo", "lzop"},  {".br", NULL /* brotli */},
};

static bool ends_with(const char *s, const char *suffix, bool nocase) {
  size_t n = strlen(s), k = strlen(suffix);
  if (n < k) return false;
  return nocase ? strcasecmp(s + n - k, suffix) == 0 : strcmp(s + n - k, suffix) == 0;
}

const char *cx_xfilter_for_name(const char *path, bool *unsupported) {
  *unsupported = false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    /* ".Z" is compress(1), ".z" is not: only that one is case-sensitive */
    if (!ends_with(path, names[i].ext, strcmp(names[i].ext, ".Z") != 0)) continue;
    if (!names[i].filter) {
      *unsupported = true;
      return "brotli";
    }
#ifdef CX_HAVE_LIBARCHIVE
    struct archive *a = la_loaded() ? la.archive_write_new() : NULL;
    if (!a || la.archive_write_add_filter_by_name(a, names[i].filter) != ARCHIVE_OK)
      *unsupported = true;
    if (a) la.archive_write_free(a);
#else
    *unsupported = true;
#endif
    return names[i].filter;
  }
  return NULL;
}

#ifdef CX_HAVE_LIBARCHIVE

struct cx_xfilter {
  struct archive *a;
  cx_xfilter_sink sink;
  void *user;
  bool sink_failed;
};

static la_ssize_t on_write(struct archive *a, void *user, const void *p, size_t n) {
  (void)a;
  struct cx_xfilter *f = user;
  if (!f->sink || f->sink(f->user, p, n) != 0) {
    f->sink_failed = true;
    return -1;
  }
  return (la_ssize_t)n;
}

static const char *fail_msg(struct cx_xfilter *f) {
  if (f->sink_failed) return NULL;
  const char *s = la.archive_error_string(f->a);
  return s ? s : "compression failed";
}

struct cx_xfilter *cx_xfilter_new(const char *filter, cx_xfilter_sink sink, void *user,
                                  const char **msg) {
  if (!la_loaded()) {
    *msg = "cannot load libarchive (" CX_LIBARCHIVE_SONAME ")";
    return NULL;
  }
  struct cx_xfilter *f = calloc(1, sizeof *f);
  if (!f || !(f->a = la.archive_write_new())) {
    free(f);
    *msg = "out of memory";
    return NULL;
  }
  f->sink = sink;
  f->user = user;
  struct archive_entry *e = la.archive_entry_new();
  /* Whole blocks of 64 KiB to the sink, the last one not padded. */
  if (!e || la.archive_write_add_filter_by_name(f->a, filter) != ARCHIVE_OK ||
      la.archive_write_set_format_raw(f->a) != ARCHIVE_OK ||
      la.archive_write_set_bytes_per_block(f->a, 65536) != ARCHIVE_OK ||
      la.archive_write_set_bytes_in_last_block(f->a, 1) != ARCHIVE_OK ||
      la.archive_write_open(f->a, f, NULL, on_write, NULL) != ARCHIVE_OK)
    goto fail;
  la.archive_entry_set_pathname(e, "data");
  la.archive_entry_set_filetype(e, AE_IFREG);
  if (la.archive_write_header(f->a, e) != ARCHIVE_OK) goto fail;
  la.archive_entry_free(e);
  return f;
fail:
  *msg = e ? fail_msg(f) : "out of memory";
  if (!*msg) *msg = "write error";
  la.archive_entry_free(e);
  cx_xfilter_free(f);
  return NULL;
}

int cx_xfilter_write(struct cx_xfilter *f, const void *p, size_t n, const char **msg) {
  const char *s = p;
  while (n) {
    la_ssize_t w = la.archive_write_data(f->a, s, n);
    if (w <= 0) {
      *msg = fail_msg(f);
      return -1;
    }
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

int cx_xfilter_finish(struct cx_xfilter *f, const char **msg) {
  if (la.archive_write_close(f->a) != ARCHIVE_OK) {
    *msg = fail_msg(f);
    return -1;
  }
  return 0;
}

void cx_xfilter_free(struct cx_xfilter *f) {
  if (!f) return;
  /* archive_write_free() would close (and flush into the sink) an archive
   * not yet closed: a failed or aborted output must write nothing more. */
  if (f->a) {
    f->sink_failed = true;
    f->sink = NULL;
  }
  la.archive_write_free(f->a);
  free(f);
}

#else

struct cx_xfilter *cx_xfilter_new(const char *filter, cx_xfilter_sink sink, void *user,
                                  const char **msg) {
  (void)filter, (void)sink, (void)user;
  *msg = "this build has no libarchive to compress with";
  return NULL;
}

int cx_xfilter_write(struct cx_xfilter *f, const void *p, size_t n, const char **msg) {
  (void)f, (void)p, (void)n;
  *msg = "no compressor";
  return -1;
}

int cx_xfilter_finish(struct cx_xfilter *f, const char **msg) {
  (void)f;
  *msg = "no compressor";
  return -1;
}

void cx_xfilter_free(struct cx_xfilter *f) {
  (void)f;
}

#endif

/* archive_writer.c - the bundle writer: tar, compressed tar and zip through
 * libarchive, onto a cx_ostream.
 *
 * Reproducible: every entry gets the same mtime (arcp_epoch():
 * SOURCE_DATE_EPOCH, else 0), uid and gid 0, no user or group name, mode
 * 0644; the gzip header carries no time and no name; entries are written in
 * the order they are given.  The same cables always give the same bytes.
 * A compressed kind is compressed here: the core hands bundle writers an
 * output stream that does not gzip by itself, whatever its name; tar.gz
 * asks that stream to gzip with the core's encoder (cx_ostream_gzip()).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_plugin.h"

struct awriter {
  struct archive *a;
  struct archive_entry *e; /* reused for every entry */
  struct cx_ostream *out;  /* borrowed */
  int out_err;             /* the stream's error, once a write failed */
  int64_t mtime;
  bool dead; /* a fatal error: nothing more is written */
};

/* Once the output failed, what libarchive writes is dropped rather than
 * refused: a refused write leaves its compressor's state unfreed (zip's
 * deflate stream), while dropped bytes let it finish and free everything.
 * bundle_add and close see out_err and report it. */
static la_ssize_t write_cb(struct archive *a, void *user, const void *buf, size_t n) {
  (void)a;
  struct awriter *st = user;
  if (st->out_err) return (la_ssize_t)n;
  int rc = cx_ostream_write(st->out, buf, n);
  if (rc < 0) st->out_err = rc;
  return (la_ssize_t)n;
}

/* The compressor an output name says (by its last extension), or NULL. */
static const char *name_filter(const char *name) {
  static const struct {
    const char *ext, *filter;
  } names[] = {{".gz", "gzip"}, {".tgz", "gzip"}, {".bz2", "bzip2"},  {".tbz2", "bzip2"},
               {".xz", "xz"},   {".txz", "xz"},   {".zst", "zstd"},   {".lzma", "lzma"},
               {".lz4", "lz4"}, {".lz", "lzip"},  {".Z", "compress"}, {".br", "brotli"}};
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t k = strlen(names[i].ext);
    if (n > k && strcmp(name + n - k, names[i].ext) == 0) return names[i].filter;
  }
  return NULL;
}

/* A bundle is what its name says: "-t tar:raw -o x.tar.xz" would write a
 * plain tar under a compressed name, so it is refused. */
static int check_name(struct awriter *st, const char *format, const char *filter,
                      struct cx_ctx *ctx) {
  const char *name = cx_ostream_name(st->out);
  const char *said = name ? name_filter(name) : NULL;
  if (!said || (filter && strcmp(said, filter) == 0)) return CX_OK;
  return cx_error(ctx, CX_FATAL, 0,
                  "a %s bundle cannot be written under a name that says %s: name it after what "
                  "it is, or write that kind (e.g. -t tar.xz:FMT)",
                  format, said);
}

/* Sets the format and filter for a kind the user named.  Returns CX_OK or
 * CX_FATAL with a message. */
static int set_kind(struct awriter *st, const char *format, struct cx_ctx *ctx) {
  struct archive *a = st->a;
  const char *filter = NULL; /* a compressed tar's filter */
  if (strcmp(format, "zip") == 0) {
    if (check_name(st, format, NULL, ctx) != CX_OK) return CX_FATAL;
    if (archive_write_set_format_zip(a) != ARCHIVE_OK) goto fail;
    archive_write_set_bytes_per_block(a, 0); /* nothing after the central directory */
    return CX_OK;
  }
  if (strcmp(format, "tar.gz") == 0 || strcmp(format, "tgz") == 0)
    filter = "gzip";
  else if (strcmp(format, "tar.bz2") == 0 || strcmp(format, "tbz2") == 0)
    filter = "bzip2";
  else if (strcmp(format, "tar.xz") == 0 || strcmp(format, "txz") == 0)
    filter = "xz";
  else if (strcmp(format, "tar.zst") == 0)
    filter = "zstd";
  else if (strcmp(format, "tar") != 0)
    return cx_error(ctx, CX_FATAL, 0,
                    "cannot write %s bundles: write tar, tar.gz, tar.bz2, tar.xz, tar.zst or zip",
                    format);
  if (check_name(st, format, filter, ctx) != CX_OK) return CX_FATAL;
  /* pax only where ustar cannot hold a name: plain ustar headers otherwise */
  if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK) goto fail;
  /* gzip by the core's encoder (ISA-L: several times faster than the
   * zlib behind libarchive's filter); libarchive's where the stream cannot. */
  if (filter && strcmp(filter, "gzip") == 0) {
    int rc = cx_ostream_gzip(st->out);
    if (rc == CX_OK) {
      /* As libarchive does for compressed output: no padding of the last
       * block, so the tar inside is the same as its filter would make. */
      archive_write_set_bytes_in_last_block(a, 1);
      return CX_OK;
    }
    if (rc != CX_FAILED) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  }
  if (filter) {
    if (archive_write_add_filter_by_name(a, filter) != ARCHIVE_OK) goto fail;
    if (strcmp(filter, "gzip") == 0 &&
        archive_write_set_filter_option(a, "gzip", "timestamp", NULL) < ARCHIVE_WARN)
      goto fail;
  }
  return CX_OK;
fail:
  return cx_error(ctx, CX_FATAL, 0, "cannot write %s: %s", format,
                  archive_error_string(a) ? archive_error_string(a) : "not supported");
}

int arcp_bundle_writer_open(struct cx_ostream *out, const char *format,
                            const struct cx_options *opts, struct cx_ctx *ctx, void **state) {
  (void)opts;
  *state = NULL;
  if (!format) format = "tar";
  struct awriter *st = calloc(1, sizeof *st);
  if (!st) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  st->out = out;
  st->mtime = arcp_epoch();
  st->a = archive_write_new();
  st->e = archive_entry_new();
  int rc = CX_OK;
  if (!st->a || !st->e) {
    rc = cx_error(ctx, CX_FATAL, 0, "out of memory");
    goto fail;
  }
  rc = set_kind(st, format, ctx);
  if (rc != CX_OK) goto fail;
  if (archive_write_open2(st->a, st, NULL, write_cb, NULL, NULL) != ARCHIVE_OK) {
    rc = cx_error(ctx, CX_FATAL, 0, "cannot start the %s bundle: %s", format,
                  archive_error_string(st->a) ? archive_error_string(st->a) : "unknown error");
    goto fail;
  }
  *state = st;
  return CX_OK;
fail:
  if (st->a) archive_write_free(st->a);
  if (st->e) archive_entry_free(st->e);
  free(st);
  return rc;
}

static int write_failed(struct awriter *st, struct cx_ctx *ctx, const char *what,
                        const char *name) {
  st->dead = true;
  if (st->out_err) return st->out_err; /* the stream's message is on ctx */
  char *shown = arcp_escape_name(name);
  int rc = cx_error(ctx, CX_FATAL, 0, "%s %s: %s", what, shown ? shown : "entry",
                    archive_error_string(st->a) ? archive_error_string(st->a) : "unknown error");
  free(shown);
  return rc;
}

int arcp_bundle_add(void *state, const char *name, const void *data, size_t len,
                    struct cx_ctx *ctx) {
  struct awriter *st = state;
  if (st->dead) return cx_error(ctx, CX_FATAL, 0, "the bundle could not be written");
  if (!name || !*name) return cx_error(ctx, CX_FAILED, 0, "an entry without a name not written");
  struct archive_entry *e = st->e;
  archive_entry_clear(e);
  archive_entry_set_pathname(e, name);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0644);
  archive_entry_set_size(e, (la_int64_t)len);
  archive_entry_set_mtime(e, (time_t)st->mtime, 0);
  archive_entry_set_uid(e, 0);
  archive_entry_set_gid(e, 0);
  int r = archive_write_header(st->a, e);
  if (r == ARCHIVE_FAILED) {
    char *shown = arcp_escape_name(name);
    r = cx_error(ctx, CX_FAILED, 0, "%s not written: %s", shown ? shown : "entry",
                 archive_error_string(st->a) ? archive_error_string(st->a) : "refused");
    free(shown);
    return r;
  }
  if (r < ARCHIVE_FAILED || st->out_err)
    return write_failed(st, ctx, "cannot write the header of", name);
  const char *p = data;
  while (len) {
    la_ssize_t w = archive_write_data(st->a, p, len);
    if (w <= 0 || st->out_err) return write_failed(st, ctx, "cannot write", name);
    p += w;
    len -= (size_t)w;
  }
  if (archive_write_finish_entry(st->a) < ARCHIVE_WARN || st->out_err)
    return write_failed(st, ctx, "cannot finish", name);
  return CX_OK;
}

int arcp_bundle_writer_close(void *state, struct cx_ctx *ctx) {
  struct awriter *st = state;
  if (!st) return CX_OK;
  int rc = CX_OK;
  bool dead = st->dead;
  /* closed even when dead (its writes are dropped): libarchive frees its
   * compressors' state only then */
  int closed = archive_write_close(st->a);
  if (st->out_err)
    rc = st->out_err; /* the stream's message is on ctx */
  else if (dead)
    rc = CX_FATAL;
  else if (closed != ARCHIVE_OK)
    rc = cx_error(ctx, CX_FATAL, 0, "cannot finish the bundle: %s",
                  archive_error_string(st->a) ? archive_error_string(st->a) : "unknown error");
  archive_write_free(st->a);
  archive_entry_free(st->e);
  free(st);
  return rc;
}

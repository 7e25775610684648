/* read.c - reading one input or bundle entry: its reader is detected
 * (host/formats.c), then it is read whole into a unit for the workers, or,
 * when large, handed to bundle.c to be split or parsed here; the reader
 * loop itself (read_cables) runs on the workers too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>

#include "run_internal.h"

bool cxr_reading_stopped(struct run *r) {
  if (r->pool) {
    if (!r->reading_stopped && cxr_pool_cancelled(r->pool)) r->reading_stopped = true;
    return r->reading_stopped;
  }
  return r->stop || r->reading_stopped;
}

/* Reads every cable of in with reader.  Returns CX_OK, CX_FAILED (the input
 * or some cable failed: reported) or CX_FATAL (out of memory, or reading
 * should stop). */
int cxr_read_cables(struct target *t, struct cx_ctx *ctx, struct cx_istream *in,
                    const struct cx_plugin *reader) {
  struct run *r = t->r;
  void *state = NULL;
  cx_ctx_clear(ctx);
  ctx->line0 = t->line0; /* for line numbers inside the reader's messages */
  int rc = reader->reader_open(in, r->opts, ctx, &state);
  if (rc != CX_OK && rc != CX_WARN) {
    if (rc != CX_FATAL && rc != CX_FAILED)
      cx_error(ctx, CX_FATAL, 0, "reader '%s' open returned %d", reader->name, rc);
    return cxr_target_msg(t, ctx, ctx->code, ctx->line, CNT_FAILED, ctx->msg) ? CX_FATAL
                                                                              : CX_FAILED;
  }
  if (rc == CX_WARN && cxr_unshown_warning(t, ctx)) {
    reader->reader_close(state);
    return CX_FATAL;
  }

  int result = CX_OK;
  bool any = false; /* the reader gave a cable or an error */
  for (;;) {
    if (!t->job && cxr_reading_stopped(r)) {
      result = CX_FATAL;
      break;
    }
    struct cx_cable *c = NULL;
    cx_ctx_clear(ctx);
    rc = reader->reader_next(state, ctx, &c);
    if (rc == CX_EOF) {
      cx_cable_free(c);
      break;
    }
    any = true;
    if ((rc == CX_OK || rc == CX_WARN) && !c)
      rc = cx_error(ctx, CX_FAILED, ctx->line, "reader '%s' returned no cable", reader->name);
    if (rc == CX_FAILED) {
      cx_cable_free(c);
      if (cxr_target_msg(t, ctx, CX_FAILED, ctx->line, CNT_FAILED, ctx->msg)) {
        result = CX_FATAL;
        break;
      }
      result = CX_FAILED;
      continue;
    }
    if (rc != CX_OK && rc != CX_WARN) {
      cx_cable_free(c);
      if (rc != CX_FATAL) cx_error(ctx, CX_FATAL, 0, "reader '%s' returned %d", reader->name, rc);
      /* the rest of this input is lost */
      result =
          cxr_target_msg(t, ctx, CX_FATAL, ctx->line, CNT_FAILED, ctx->msg) ? CX_FATAL : CX_FAILED;
      break;
    }
    if (rc == CX_WARN && cxr_unshown_warning(t, ctx)) {
      cx_cable_free(c);
      result = CX_FATAL;
      break;
    }
    if (cxr_target_cable(t, ctx->file, ctx->entry, reader, c) != CX_OK) {
      result = CX_FATAL;
      break;
    }
  }
  if (!any && result != CX_FATAL && !t->part) {
    /* An empty input (or blanks only) converts to nothing: say so. */
    cx_ctx_clear(ctx);
    if (cxr_target_msg(t, ctx, CX_WARN, 0, CNT_SKIPPED, "skipped: no cable in it"))
      result = CX_FATAL;
  }
  reader->reader_close(state);
  return result;
}

/* Reads one file or bundle entry: detects its reader, then reads it whole
 * into the job being filled (a unit for a worker) or, when larger than
 * UNIT_MAX or unreadable to its end, parses it here.  Returns CX_OK,
 * CX_FAILED (reported) or CX_FATAL (stop reading). */
int cxr_read_source(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                    const char *entry, const char *name, const struct cx_plugin *forced,
                    bool walked, int depth, unsigned long long size) {
  const struct cx_plugin *reader = forced ? forced : cxh_detect(r->reg, name, in);
  if ((walked || entry) && (r->args->nincludes || r->args->nexcludes) &&
      !cxr_name_selected(r->args, entry ? entry : name, reader && cxh_is_bundle_reader(reader)))
    return CX_OK; /* left out by --include / --exclude, as asked */
  if (!reader) {
    if (walked || entry) {
      /* A stray file in a directory or a bundle being converted is not an error. */
      return cxr_read_msg(r, file, entry, CX_WARN, 0, false, CNT_SKIPPED,
                          "skipped: no input plugin recognises it")
                 ? CX_FATAL
                 : CX_OK;
    }
    char msg[PATH_MAX + 96];
    snprintf(msg, sizeof msg, "no input plugin recognises %s; use -f (see cablex plugins)", file);
    return cxr_read_msg(r, file, NULL, CX_FAILED, 0, true, CNT_FAILED, msg) ? CX_FATAL : CX_FAILED;
  }
  if (cxh_is_bundle_reader(reader)) return cxr_read_bundle(r, in, ctx, file, entry, reader, depth);

  /* Whole into memory, if it is small enough. */
  if (!r->job && !(r->job = cxr_job_take(r))) return CX_FATAL;
  struct cx_buf *b = &r->job->in;
  size_t off = b->len;
  long got = 0;
  bool whole = size <= UNIT_MAX;
  while (whole) { /* read in place, READ_CHUNK at most at a time */
    if (cx_buf_reserve(b, READ_CHUNK) != CX_OK) return CX_FATAL;
    got = cx_istream_read(in, b->data + b->len, READ_CHUNK);
    if (got <= 0) break;
    b->len += (size_t)got;
    b->data[b->len] = '\0';
    if (b->len - off > UNIT_MAX) whole = false;
  }
  if (whole && got == 0) {
    struct event u = {.file = file, .reader = reader, .off = off, .len = b->len - off};
    if (cxr_put_unit(r, &u, entry) != CX_OK) return CX_FATAL;
    return cxr_maybe_flush(r);
  }

  /* Too large, or a read error (it comes again from the stream, after the
   * cables before it). */
  struct cx_buf rest;
  cx_buf_init(&rest, 0);
  if (off == 0 && b->len > 0) { /* the job holds nothing else: take its buffer, not a copy */
    rest = *b;
    rest.max = 0;
    cx_buf_init(b, b->max);
  } else if (b->len > off) {
    if (cx_buf_add(&rest, b->data + off, b->len - off) != CX_OK) return CX_FATAL;
    b->len = off;
    b->data[off] = '\0';
  }
  int rc =
      cxr_read_large(r, in, ctx, file, entry, reader, &rest, got >= 0 && cxh_has_split(reader));
  cx_buf_free(&rest);
  return rc;
}

/* Reads one input named on the command line or found in a directory. */
int cxr_read_input(struct run *r, const struct input *inp, const struct cx_plugin *forced) {
  struct target t = {r, NULL, 0, false, NULL, NULL, NULL};
  struct cx_ctx ctx;
  cxr_init_ctx(&ctx, inp->path, NULL, &t);
  if (inp->skip)
    return cxr_read_msg(r, inp->path, NULL, CX_WARN, 0, false, CNT_SKIPPED, inp->skip) ? CX_FATAL
                                                                                       : CX_OK;
  struct stat st;
  unsigned long long size = 0;
  if (strcmp(inp->path, "-") != 0 && stat(inp->path, &st) == 0 && S_ISREG(st.st_mode))
    size = (unsigned long long)st.st_size;

  struct cx_istream *in = cx_istream_open(inp->path, &ctx);
  if (!in) {
    int rc = cxr_read_msg(r, ctx.file, NULL, CX_FAILED, ctx.line, false, CNT_FAILED, ctx.msg);
    return rc ? CX_FATAL : CX_FAILED;
  }
  r->current = in;
  /* a gzip file is larger once decompressed: its size says nothing */
  unsigned long long unit = cx_istream_is_gzip(in) ? 0 : size;
  int rc = cxr_read_source(r, in, &ctx, inp->path, NULL, inp->path, forced, inp->walked, 0, unit);
  r->current = NULL;
  cx_istream_close(in);
  r->base += size;
  cxr_note_progress(r);
  return rc;
}

/* bundle.c - the entries of a bundle, each read like a file, and large
 * inputs: cut at the record boundaries their reader finds (record_split)
 * into parts for the workers, or parsed here when they cannot be cut. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

/* A stream that gives a buffer first, then the rest of another stream: a
 * large input is parsed on from where reading it whole stopped.  The
 * buffer is freed once read (its reader keeps its own copy of a record, so
 * the bytes are not held twice while one huge cable is parsed). */
struct prefixed {
  struct cx_buf *head;
  size_t pos;
  struct cx_istream *rest;
};

static long prefixed_read(void *user, void *buf, size_t n) {
  struct prefixed *p = user;
  if (p->pos < p->head->len) {
    size_t k = p->head->len - p->pos < n ? p->head->len - p->pos : n;
    memcpy(buf, p->head->data + p->pos, k);
    p->pos += k;
    if (p->pos == p->head->len) {
      cx_buf_free(p->head);
      p->pos = 0;
    }
    return (long)k;
  }
  return cx_istream_read(p->rest, buf, n);
}

/* The entries of a bundle, each read like a file. */
int cxr_read_bundle(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                    const char *entry, const struct cx_plugin *p, int depth) {
  if (depth >= BUNDLE_DEPTH_MAX) {
    char msg[96];
    snprintf(msg, sizeof msg, "bundle nested more than %d deep: not read", BUNDLE_DEPTH_MAX);
    return cxr_read_msg(r, file, entry, CX_FAILED, 0, false, CNT_FAILED, msg) ? CX_FATAL
                                                                              : CX_FAILED;
  }
  void *state = NULL;
  cx_ctx_clear(ctx);
  int rc = p->bundle_open(in, r->opts, ctx, &state);
  if (rc != CX_OK && rc != CX_WARN) {
    if (rc != CX_FAILED && rc != CX_FATAL)
      cx_error(ctx, CX_FATAL, 0, "bundle reader '%s' open returned %d", p->name, rc);
    return cxr_read_msg(r, file, ctx->entry, ctx->code, ctx->line, false, CNT_FAILED, ctx->msg)
               ? CX_FATAL
               : CX_FAILED;
  }
  struct target t = {r, NULL, 0, false, NULL, NULL, NULL};
  if (rc == CX_WARN && cxr_unshown_warning(&t, ctx)) {
    p->bundle_close(state);
    return CX_FATAL;
  }
  int result = CX_OK;
  for (;;) {
    if (cxr_reading_stopped(r)) {
      result = CX_FATAL;
      break;
    }
    const char *name = NULL;
    struct cx_istream *e = NULL;
    cx_ctx_clear(ctx);
    ctx->entry = entry;
    rc = p->bundle_next(state, ctx, &name, &e);
    if (rc == CX_EOF) break;
    /* the entry named by the plugin, inside this bundle's own entry */
    char *chain = NULL;
    const char *which = rc == CX_OK ? name : ctx->entry != entry ? ctx->entry : NULL;
    if (which) { /* "entry/which", or "which" */
      size_t el = entry ? strlen(entry) : 0, wl = strlen(which);
      if (!(chain = malloc(el + (entry ? 1 : 0) + wl + 1))) {
        result = CX_FATAL;
        break;
      }
      char *w = chain;
      if (entry) {
        memcpy(w, entry, el);
        w += el;
        *w++ = '/';
      }
      memcpy(w, which, wl + 1);
    }
    if (rc != CX_OK) {
      if (rc != CX_FAILED && rc != CX_FATAL)
        cx_error(ctx, CX_FATAL, 0, "bundle reader '%s' returned %d", p->name, rc);
      int code = rc == CX_FAILED ? CX_FAILED : CX_FATAL;
      int mrc = cxr_read_msg(r, file, chain ? chain : entry, code, ctx->line, false, CNT_FAILED,
                             ctx->msg);
      free(chain);
      result = mrc ? CX_FATAL : CX_FAILED;
      ctx->entry = entry;
      if (mrc || code == CX_FATAL) break; /* nothing more can be read */
      continue;
    }
    ctx->entry = chain;
    rc = cxr_read_source(r, e, ctx, file, chain, name, NULL, true, depth + 1, 0);
    ctx->entry = entry;
    free(chain);
    if (rc == CX_FATAL) {
      result = CX_FATAL;
      break;
    }
    if (rc == CX_FAILED) result = CX_FAILED;
  }
  ctx->entry = entry;
  p->bundle_close(state);
  return result;
}

/* Parses the rest of an input here, sequentially: first the bytes already
 * read (head, emptied as it is read), then what in still holds.  line0:
 * lines before head. */
static int read_on(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *entry,
                   const struct cx_plugin *reader, struct cx_buf *head, unsigned long line0) {
  struct prefixed px = {head, 0, in};
  struct cx_istream *whole_in = cx_istream_open_fn(prefixed_read, &px, ctx->file, ctx);
  if (!whole_in)
    return cxr_read_msg(r, ctx->file, entry, CX_FAILED, 0, false, CNT_FAILED, ctx->msg) ? CX_FATAL
                                                                                        : CX_FAILED;
  struct target t = {r, NULL, line0, line0 > 0, NULL, NULL, NULL};
  void *report_user = ctx->report_user;
  ctx->report_user = &t; /* its warnings get line0 too */
  int rc = cxr_read_cables(&t, ctx, whole_in, reader);
  ctx->report_user = report_user;
  cx_istream_close(whole_in);
  return rc;
}

/* A large input whose reader can split it at record boundaries
 * (record_split, ABI 1.1) goes to the workers in parts of about
 * SPLIT_CHUNK bytes, each parsed on its own and numbered from the line it
 * starts on.  Where no boundary comes within UNIT_MAX bytes, or reading
 * fails, the rest is parsed here (read_on).  rest: the bytes read so far. */
static int read_parts(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                      const char *entry, const struct cx_plugin *reader, struct cx_buf *rest) {
  unsigned long line0 = 0;
  size_t want = SPLIT_CHUNK;
  bool eof = false;
  for (;;) {
    if (cxr_reading_stopped(r)) return CX_FATAL;
    while (!eof && rest->len < want) { /* read straight into rest (it has no max) */
      if (cx_buf_reserve(rest, READ_CHUNK) != CX_OK) return CX_FATAL;
      long got = cx_istream_read(in, rest->data + rest->len, READ_CHUNK);
      if (got < 0) return read_on(r, in, ctx, entry, reader, rest, line0);
      if (got == 0) eof = true;
      rest->len += (size_t)got;
      rest->data[rest->len] = '\0';
    }
    if (rest->len == 0) return CX_OK;
    size_t cut = eof ? rest->len : reader->record_split(rest->data, rest->len);
    if (cut > rest->len) cut = 0; /* a plugin bug: do not trust it */
    if (cut == 0) {
      if (rest->len < UNIT_MAX) { /* no boundary yet: read on */
        want = rest->len + SPLIT_CHUNK;
        continue;
      }
      return read_on(r, in, ctx, entry, reader, rest, line0);
    }
    if (!r->job && !(r->job = cxr_job_take(r))) return CX_FATAL;
    struct cx_buf *b = &r->job->in;
    size_t off = b->len;
    if (cx_buf_add(b, rest->data, cut) != CX_OK) return CX_FATAL;
    struct event u = {
        .file = file, .reader = reader, .off = off, .len = cut, .line0 = line0, .part = true};
    if (cxr_put_unit(r, &u, entry) != CX_OK) return CX_FATAL;
    line0 += cx_count_newlines(rest->data, rest->data + cut);
    memmove(rest->data, rest->data + cut, rest->len - cut);
    rest->len -= cut;
    rest->data[rest->len] = '\0';
    want = SPLIT_CHUNK;
    if (cxr_maybe_flush(r) != CX_OK) return CX_FATAL;
    if (eof && rest->len == 0) return CX_OK;
  }
}

int cxr_read_large(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                   const char *entry, const struct cx_plugin *reader, struct cx_buf *rest,
                   bool split) {
  return split ? read_parts(r, in, ctx, file, entry, reader, rest)
               : read_on(r, in, ctx, entry, reader, rest, 0);
}

/* sink.c - the writing side of a run: the three output modes (one stream,
 * a file per cable in a directory, a bundle), each cable written in input
 * order with its messages, the counts and the fail-fast policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

/* Checks a writer's return code: anything unknown counts as fatal. */
static int writer_code(struct sink *s, int rc, const char *what) {
  if (rc == CX_OK || rc == CX_WARN || rc == CX_FAILED || rc == CX_FATAL) return rc;
  return cx_error(&s->ctx, CX_FATAL, 0, "writer '%s' %s returned %d", s->writer->name, what, rc);
}

int cxr_sink_open_stream(struct sink *s, const char *path) {
  cxr_init_sink_ctx(s->run, &s->ctx, path);
  s->out = s->mode == SINK_BUNDLE ? cx_ostream_open_plain(path, &s->ctx)
                                  : cx_ostream_open(path, &s->ctx);
  if (!s->out) return CX_FATAL;
  s->state = NULL;
  int rc;
  if (s->mode == SINK_BUNDLE) {
    rc = s->bundle->bundle_writer_open(s->out, s->format, s->run->opts, &s->ctx, &s->state);
    if (rc != CX_OK && rc != CX_WARN && rc != CX_FAILED && rc != CX_FATAL)
      rc = cx_error(&s->ctx, CX_FATAL, 0, "bundle writer '%s' open returned %d", s->bundle->name,
                    rc);
  } else {
    rc = writer_code(s, s->writer->writer_open(s->out, s->run->opts, &s->ctx, &s->state), "open");
  }
  if (rc == CX_WARN) cxr_report_unshown_warning(s->run, &s->ctx);
  if (rc == CX_FAILED || rc == CX_FATAL) {
    /* An output that cannot start is lost; open freed its state. */
    cx_ostream_abort(s->out);
    s->out = NULL;
    return CX_FATAL;
  }
  s->opened = true;
  return CX_OK;
}

/* Finishes the current output: the writer is closed whatever happened (it
 * frees its state), then the output is committed, or thrown away when
 * abort is set or closing failed, so nothing half-written stays at its
 * path.  Returns CX_OK, or CX_FATAL when the output is not in place. */
int cxr_sink_close_stream(struct sink *s, bool abort) {
  if (!s->out) return abort ? CX_FATAL : CX_OK;
  int rc = CX_OK;
  if (s->opened) {
    s->opened = false;
    if (s->mode == SINK_BUNDLE) {
      rc = s->bundle->bundle_writer_close(s->state, &s->ctx);
      if (rc != CX_OK && rc != CX_WARN && rc != CX_FAILED && rc != CX_FATAL) rc = CX_FATAL;
    } else {
      rc = writer_code(s, s->writer->writer_close(s->state, &s->ctx), "close");
    }
    s->state = NULL;
    if (rc == CX_WARN) cxr_report_unshown_warning(s->run, &s->ctx);
  }
  if (abort || rc == CX_FAILED || rc == CX_FATAL) {
    cx_ostream_abort(s->out);
    s->out = NULL;
    return CX_FATAL;
  }
  rc = cx_ostream_commit(s->out);
  s->out = NULL;
  return rc == CX_OK ? CX_OK : CX_FATAL;
}

/* Encodes c with the writer into s->mem, as a whole output of its own. */
static int encode_serially(struct sink *s, const struct cx_cable *c) {
  cx_buf_reset(&s->mem);
  struct cx_ostream *out = cx_ostream_open_mem(&s->mem, s->path, &s->ctx);
  if (!out) return CX_FATAL;
  void *state = NULL;
  int rc = writer_code(s, s->writer->writer_open(out, s->run->opts, &s->ctx, &state), "open");
  if (rc == CX_OK || rc == CX_WARN) {
    int wrc = writer_code(s, s->writer->writer_write(state, c, &s->ctx), "write");
    if (wrc == CX_WARN) cxr_report_unshown_warning(s->run, &s->ctx);
    int crc = writer_code(s, s->writer->writer_close(state, &s->ctx), "close");
    rc = wrc == CX_FAILED || wrc == CX_FATAL ? wrc : crc;
  }
  if (rc == CX_FAILED || rc == CX_FATAL) {
    cx_ostream_abort(out);
    return CX_FAILED; /* only this entry is lost */
  }
  return cx_ostream_commit(out) == CX_OK ? rc : CX_FAILED;
}

/* Writes one cable: encoded (data, len) or as c.  Returns CX_OK, CX_WARN,
 * CX_FAILED (this cable is lost, reported) or CX_FATAL (the output is
 * lost, reported). */
static int sink_put(struct sink *s, const char *stem, const char *data, size_t len,
                    const struct cx_cable *c) {
  int rc;
  const struct cxr_run_args *a = s->run->args;
  if (a->each) return a->each(a->each_user, c) == CX_OK ? CX_OK : CX_FATAL;
  if (s->mode == SINK_BUNDLE) {
    char *name = cxr_unique_name(s, "", stem);
    if (!name) {
      cxr_print_line(s->run, false, NULL, "out of memory", 0, CX_FATAL, true);
      return CX_FATAL;
    }
    cx_ctx_clear(&s->ctx);
    rc = CX_OK;
    if (!data) {
      rc = encode_serially(s, c);
      data = s->mem.data ? s->mem.data : "";
      len = s->mem.len;
    }
    if (rc == CX_OK || rc == CX_WARN) {
      int arc = s->bundle->bundle_add(s->state, name, data, len, &s->ctx);
      if (arc != CX_OK && arc != CX_FAILED && arc != CX_FATAL)
        arc = cx_error(&s->ctx, CX_FATAL, 0, "bundle writer '%s' add returned %d", s->bundle->name,
                       arc);
      if (arc != CX_OK) rc = arc;
    }
    if (rc == CX_FAILED || rc == CX_FATAL) cxr_report_ctx(s->run, &s->ctx);
    free(name);
    return rc;
  }
  if (s->mode == SINK_DIR) {
    free(s->file);
    const char *sep = s->dir[strlen(s->dir) - 1] == '/' ? "" : "/";
    size_t plen = strlen(s->dir) + 2;
    char *prefix = malloc(plen);
    if (prefix) snprintf(prefix, plen, "%s%s", s->dir, sep);
    s->file = prefix ? cxr_unique_name(s, prefix, stem) : NULL;
    free(prefix);
    if (!s->file) {
      cxr_print_line(s->run, false, NULL, "out of memory", 0, CX_FATAL, true);
      return CX_FATAL;
    }
    rc = cxr_sink_open_stream(s, s->file);
    if (rc == CX_FATAL) {
      cxr_report_ctx(s->run, &s->ctx);
      return rc;
    }
  }
  cx_ctx_clear(&s->ctx);
  if (data)
    rc = writer_code(s, s->writer->writer_put(s->state, data, len, &s->ctx), "put");
  else
    rc = writer_code(s, s->writer->writer_write(s->state, c, &s->ctx), "write");
  if (rc == CX_WARN) cxr_report_unshown_warning(s->run, &s->ctx);
  if (rc == CX_FAILED || rc == CX_FATAL) cxr_report_ctx(s->run, &s->ctx);
  if (s->mode == SINK_DIR) {
    int crc = cxr_sink_close_stream(s, rc == CX_FAILED || rc == CX_FATAL);
    if (crc == CX_FATAL && rc != CX_FAILED && rc != CX_FATAL) {
      cxr_report_ctx(s->run, &s->ctx);
      rc = CX_FATAL;
    }
  }
  return rc;
}

static void stop_run(struct run *r) {
  r->stop = true;
  if (r->pool) cxr_pool_cancel(r->pool);
}

static void count_failure(struct run *r) {
  r->failed++;
  if (r->args->fail_fast && !r->stop) {
    r->stopped_fail_fast = true;
    stop_run(r);
  }
}

/* Writes a worked-on job in order (the writing thread). */
void cxr_write_job(struct run *r, struct job *j) {
  r->filtered += j->filtered;
  struct sink *s = &r->sink;
  for (size_t i = 0; i < j->out.n && !r->stop; i++) {
    struct event *e = &j->out.v[i];
    if (e->type == EV_MSG) {
      struct cx_ctx where = {0};
      where.file = e->file;
      where.entry = e->entry;
      bool warning = e->code == CX_WARN || e->code == CX_OK;
      cxr_print_line(r, warning, &where, e->msg, e->line, e->code, e->plain);
      if (e->count == CNT_FAILED || e->count == CNT_STOP) count_failure(r);
      if (e->count == CNT_STOP && !r->stop) stop_run(r);
      if (e->count == CNT_SKIPPED) r->skipped++;
      continue;
    }
    if (e->type != EV_RECORD && e->type != EV_CABLE) continue;
    char *stem = e->stem;
    if (e->type == EV_CABLE && s->mode != SINK_STREAM && !stem)
      stem = e->stem = cxr_cable_stem(s, e->cable, e->entry ? e->entry : e->file);
    int rc;
    if (s->mode != SINK_STREAM && !stem) {
      cxr_print_line(r, false, NULL, "out of memory", 0, CX_FATAL, true);
      rc = CX_FATAL;
    } else if (e->type == EV_RECORD) {
      rc = sink_put(s, stem, j->rec.data + e->off, e->len, NULL);
    } else {
      s->cur_cable = e->cable;
      s->cur_file = e->file;
      s->cur_entry = e->entry;
      rc = sink_put(s, stem, NULL, 0, e->cable);
      s->cur_cable = NULL;
    }
    if (rc == CX_FATAL) {
      r->output_lost = true;
      stop_run(r);
    } else if (rc == CX_FAILED) {
      count_failure(r);
    } else {
      r->converted++;
    }
  }
  cxr_progress_update(&r->progress, r->converted, atomic_load(&r->bytes_read), false);
}

void *cxr_writer_main(void *arg) {
  struct run *r = arg;
  struct job *j;
  while ((j = cxr_pool_next(r->pool))) {
    if (!r->stop) cxr_write_job(r, j);
    cxr_job_done(r, j);
  }
  return NULL;
}

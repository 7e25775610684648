/* jobs.c - what travels from reading to writing: jobs of units to parse,
 * cables and messages, filled by reading, worked on (parse, --where /
 * --shard, encode) by the workers or, with -j 1, right away. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

static void event_free(struct event *e) {
  free(e->entry);
  free(e->msg);
  free(e->stem);
  cx_cable_free(e->cable);
}

static void evlist_clear(struct evlist *l) {
  for (size_t i = 0; i < l->n; i++)
    event_free(&l->v[i]);
  l->n = 0;
}

static void evlist_free(struct evlist *l) {
  evlist_clear(l);
  free(l->v);
  l->v = NULL;
  l->cap = 0;
}

/* A new zeroed event at the end of l, or NULL when out of memory. */
struct event *cxr_evlist_push(struct evlist *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    struct event *v = realloc(l->v, cap * sizeof *v);
    if (!v) return NULL;
    l->v = v;
    l->cap = cap;
  }
  struct event *e = &l->v[l->n++];
  memset(e, 0, sizeof *e);
  return e;
}

struct job *cxr_job_new(void) {
  struct job *j = calloc(1, sizeof *j);
  if (!j) return NULL;
  cx_buf_init(&j->in, 0);
  cx_buf_init(&j->rec, 0);
  return j;
}

struct job *cxr_job_take(struct run *r) {
  struct job *j = r->spare;
  r->spare = NULL;
  if (!j && r->pool) j = cxr_pool_take_spare(r->pool);
  return j ? j : cxr_job_new();
}

/* A spare job keeps buffers of at most this size (a large unit's are given
 * back). */
#define SPARE_KEEP ((size_t)4 << 20)

static void keep_buf(struct cx_buf *b) {
  if (b->cap > SPARE_KEEP)
    cx_buf_free(b);
  else
    cx_buf_reset(b);
}

/* Empties a written job, its buffers kept for the next one. */
static void job_clear(struct job *j) {
  evlist_clear(&j->ev);
  evlist_clear(&j->out);
  keep_buf(&j->in);
  keep_buf(&j->rec);
  j->weight = j->weight_kept = 0;
  j->filtered = 0;
}

/* -j 1: j, written, becomes the spare job, so that the next one fills the
 * same buffers instead of growing new ones from nothing. */
static void job_recycle(struct run *r, struct job *j) {
  job_clear(j);
  cxr_job_free(r->spare);
  r->spare = j;
}

void cxr_job_done(struct run *r, struct job *j) {
  job_clear(j);
  if (!cxr_pool_keep(r->pool, j)) cxr_job_free(j);
}

void cxr_job_free(struct job *j) {
  if (!j) return;
  evlist_free(&j->ev);
  evlist_free(&j->out);
  cx_buf_free(&j->in);
  cx_buf_free(&j->rec);
  free(j);
}

static char *dup_or_null(const char *s) {
  return s ? strdup(s) : NULL;
}

int cxr_put_unit(struct run *r, const struct event *u, const char *entry) {
  struct event *e = cxr_evlist_push(&r->job->ev);
  if (!e) return CX_FATAL;
  *e = *u;
  e->type = EV_PARSE;
  /* a NUL after each unit: its reader may parse the last record in place */
  if (u->off + u->len == r->job->in.len && cx_buf_addc(&r->job->in, '\0') != CX_OK) return CX_FATAL;
  if (entry && !(e->entry = strdup(entry))) return CX_FATAL;
  r->job->weight += u->len;
  return CX_OK;
}

/* Adds a message to l.  Returns CX_OK or CX_FATAL (out of memory). */
int cxr_put_msg(struct evlist *l, const char *file, const char *entry, int code, unsigned long line,
                bool plain, enum ev_count count, const char *msg) {
  struct event *e = cxr_evlist_push(l);
  if (!e) return CX_FATAL;
  e->type = EV_MSG;
  e->file = file;
  e->code = code;
  e->line = line;
  e->plain = plain;
  e->count = count;
  e->msg = strdup(msg && *msg ? msg : "failed (no message)");
  e->entry = dup_or_null(entry);
  if (!e->msg || (entry && !e->entry)) return CX_FATAL;
  return CX_OK;
}

static size_t cable_weight(const struct cx_cable *c) {
  return 1024 + (c->body ? strlen(c->body) : 0) + (c->header_text ? strlen(c->header_text) : 0);
}

/* Reading puts its findings in the job being filled (r->job); working
 * puts them in the output list of the job it works on. */
static struct evlist *target_list(struct target *t) {
  if (t->job) return &t->job->out;
  if (!t->r->job && !(t->r->job = cxr_job_take(t->r))) return NULL;
  return &t->r->job->ev;
}

int cxr_target_msg(struct target *t, const struct cx_ctx *ctx, int code, unsigned long line,
                   enum ev_count count, const char *msg) {
  struct evlist *l = target_list(t);
  if (!l) return CX_FATAL;
  char named[CX_MSG_MAX + 2 * PATH_MAX];
  if (t->cable)
    msg = cxr_name_cable(msg, t->cable, t->cable_file, t->cable_entry, named, sizeof named);
  return cxr_put_msg(l, ctx->file, ctx->entry, code, line ? line + t->line0 : 0, false, count, msg);
}

/* ctx->report: a warning recorded with cx_warn() while a plugin works. */
static void on_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)code;
  cxr_target_msg(user, ctx, CX_WARN, ctx->line, CNT_NONE, msg);
}

void cxr_init_ctx(struct cx_ctx *ctx, const char *file, const char *entry, struct target *t) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = file;
  ctx->entry = entry;
  ctx->report = on_warning;
  ctx->report_user = t;
}

/* A CX_WARN whose message was recorded with cx_error() rather than reported
 * with cx_warn() has not been shown yet. */
int cxr_unshown_warning(struct target *t, const struct cx_ctx *ctx) {
  if (ctx->warnings) return CX_OK;
  return cxr_target_msg(t, ctx, CX_WARN, ctx->line, CNT_NONE, ctx->msg);
}

/* Appends c (which the event then owns) as an EV_CABLE to l; NULL when out
 * of memory (c is freed, or owned by the event). */
static struct event *push_cable(struct evlist *l, const char *file, const char *entry,
                                struct cx_cable *c) {
  struct event *e = cxr_evlist_push(l);
  if (!e) {
    cx_cable_free(c);
    return NULL;
  }
  e->type = EV_CABLE;
  e->file = file;
  e->cable = c;
  if (entry && !(e->entry = strdup(entry))) return NULL;
  return e;
}

/* A selected cable placed in the job's output: encoded, or kept for
 * writer_write.  slot is the index of its event in j->out when it has one
 * already (a filtered cable), else SIZE_MAX (a new one is pushed). */
static int place_cable(struct target *t, const char *file, const char *entry, struct cx_cable *c,
                       size_t slot) {
  struct run *r = t->r;
  struct job *j = t->job;
  const struct sink *s = &r->sink;
  char *stem = NULL;
  if (s->mode != SINK_STREAM && !(stem = cxr_cable_stem(s, c, entry ? entry : file))) {
    cx_cable_free(c);
    return CX_FATAL;
  }
  if (!s->encode) {
    struct event *e = slot == SIZE_MAX ? cxr_evlist_push(&j->out) : &j->out.v[slot];
    if (!e) {
      free(stem);
      cx_cable_free(c);
      return CX_FATAL;
    }
    e->type = EV_CABLE;
    e->file = file;
    e->cable = c;
    e->filtering = false;
    e->stem = stem;
    j->weight_kept += cable_weight(c);
    if (slot == SIZE_MAX && entry && !(e->entry = strdup(entry))) return CX_FATAL;
    return CX_OK;
  }
  /* Messages of the encoding carry the output's name, as writer_write's do. */
  struct cx_ctx ctx;
  cxr_init_ctx(&ctx, s->dir ? s->dir : s->path, NULL, t);
  size_t start = j->rec.len;
  t->cable = c;
  t->cable_file = file;
  t->cable_entry = entry;
  int rc = s->writer->writer_encode(r->opts, c, &ctx, &j->rec);
  int result = CX_OK;
  if (rc == CX_OK || rc == CX_WARN) {
    if (rc == CX_WARN) result = cxr_unshown_warning(t, &ctx);
    struct event *e = result ? NULL : slot == SIZE_MAX ? cxr_evlist_push(&j->out) : &j->out.v[slot];
    if (!e) {
      result = CX_FATAL;
    } else {
      e->type = EV_RECORD;
      e->file = file;
      e->cable = NULL;
      e->filtering = false;
      e->off = start;
      e->len = j->rec.len - start;
      e->stem = stem;
      stem = NULL;
    }
  } else {
    j->rec.len = start;
    if (j->rec.data) j->rec.data[start] = '\0';
    if (rc != CX_FAILED && rc != CX_FATAL)
      cx_error(&ctx, CX_FAILED, 0, "writer '%s' encode returned %d", s->writer->name, rc);
    result = cxr_target_msg(t, &ctx, CX_FAILED, ctx.line, CNT_FAILED, ctx.msg);
    if (slot != SIZE_MAX) j->out.v[slot].type = EV_NONE;
  }
  t->cable = NULL;
  free(stem);
  cx_cable_free(c);
  return result;
}

/* A cable read from file (entry): selected, then placed; with --filter it
 * waits for the job's batch (filter_job). */
static int work_cable(struct target *t, const char *file, const char *entry, struct cx_cable *c) {
  struct run *r = t->r;
  struct job *j = t->job;
  const struct cxr_run_args *a = r->args;
  if ((a->where && !cxr_select_match(a->where, c)) ||
      (a->shard_n && !cxr_shard_match(a->shard_k, a->shard_n, c))) {
    j->filtered++;
    cx_cable_free(c);
    return CX_OK;
  }
  if (!r->filters) return place_cable(t, file, entry, c, SIZE_MAX);
  struct event *e = push_cable(&j->out, file, entry, c);
  if (!e) return CX_FATAL;
  e->filtering = true;
  return CX_OK;
}

/* Sends the job's selected cables through the --filter processes at once
 * (so that a filter is not waited for one cable at a time), then places
 * what they answered where each cable was.  A broken filter: its message
 * stands where its cable was and stops the run (CNT_STOP). */
static int filter_job(struct target *t) {
  struct job *j = t->job;
  size_t n = 0, k = 0, bad = 0;
  for (size_t i = 0; i < j->out.n; i++)
    n += j->out.v[i].type == EV_CABLE && j->out.v[i].filtering;
  if (!n) return CX_OK;
  struct cx_cable **v = malloc(n * sizeof *v);
  size_t *at = malloc(n * sizeof *at);
  if (!v || !at) {
    free(v);
    free(at);
    return CX_FATAL;
  }
  for (size_t i = 0; i < j->out.n; i++)
    if (j->out.v[i].type == EV_CABLE && j->out.v[i].filtering) {
      at[k] = i;
      v[k++] = j->out.v[i].cable;
      j->out.v[i].cable = NULL;
    }
  struct event *first = &j->out.v[at[0]];
  struct cx_ctx ctx;
  cxr_init_ctx(&ctx, first->file, first->entry, t);
  bool ok = cxr_filters_apply(t->r->filters, v, n, &ctx, &bad) == CX_OK;
  int rc = CX_OK;
  for (k = 0; k < n; k++) {
    struct event *e = &j->out.v[at[k]];
    if (!ok && k >= bad) {
      cx_cable_free(v[k]);
      e->type = EV_NONE;
      if (k > bad) continue;
      /* the message in the cable's place, with its file and entry */
      e->type = EV_MSG;
      e->code = CX_FAILED;
      e->line = 0;
      e->plain = false;
      e->count = CNT_STOP;
      if (!(e->msg = strdup(ctx.msg))) rc = CX_FATAL;
      continue;
    }
    if (!v[k]) { /* dropped */
      e->type = EV_NONE;
      j->filtered++;
      continue;
    }
    if (rc == CX_OK)
      rc = place_cable(t, e->file, e->entry, v[k], at[k]);
    else
      cx_cable_free(v[k]);
  }
  free(v);
  free(at);
  return rc;
}

/* Hands the job on once it is full. */
int cxr_maybe_flush(struct run *r) {
  struct job *j = r->job;
  if (!j || (j->weight < JOB_BYTES && j->ev.n < JOB_EVENTS)) return CX_OK;
  return cxr_flush_job(r);
}

int cxr_target_cable(struct target *t, const char *file, const char *entry,
                     const struct cx_plugin *reader, struct cx_cable *c) {
  if (cx_set(&c->source.format, reader->name) != CX_OK || cx_set(&c->source.path, file) != CX_OK ||
      cx_set(&c->source.entry, entry) != CX_OK) {
    cx_cable_free(c);
    return CX_FATAL;
  }
  if (t->job) return work_cable(t, file, entry, c);
  /* reading a large input: the cable goes on to be worked on */
  struct evlist *l = target_list(t);
  if (!l) {
    cx_cable_free(c);
    return CX_FATAL;
  }
  if (!push_cable(l, file, entry, c)) return CX_FATAL;
  t->r->job->weight += cable_weight(c);
  return cxr_maybe_flush(t->r);
}

/* Parses one unit of a job (on a worker). */
static int work_unit(struct target *t, const struct event *u) {
  t->line0 = u->line0;
  t->part = u->part;
  struct cx_ctx ctx;
  cxr_init_ctx(&ctx, u->file, u->entry, t);
  /* named as the file, so that stream messages need no name in front */
  const char *data = t->job->in.data + u->off;
  struct cx_istream *in = data[u->len] == '\0' ? cx_istream_open_memz(data, u->len, u->file, &ctx)
                                               : cx_istream_open_mem(data, u->len, u->file, &ctx);
  if (!in) return cxr_target_msg(t, &ctx, CX_FAILED, ctx.line, CNT_FAILED, ctx.msg);
  int rc = cxr_read_cables(t, &ctx, in, u->reader);
  cx_istream_close(in);
  return rc == CX_FATAL ? CX_FATAL : CX_OK;
}

/* The work function of the pool (and of -j 1): turns j->ev into j->out. */
size_t cxr_work_job(void *job, void *user) {
  struct job *j = job;
  struct target t = {user, j, 0, false, NULL, NULL, NULL};
  int rc = CX_OK;
  for (size_t i = 0; i < j->ev.n && rc == CX_OK; i++) {
    struct event *e = &j->ev.v[i];
    if (e->type == EV_PARSE) {
      rc = work_unit(&t, e);
    } else if (e->type == EV_CABLE) {
      struct cx_cable *c = e->cable;
      e->cable = NULL;
      rc = work_cable(&t, e->file, e->entry, c);
    } else if (e->type == EV_MSG) {
      struct event *o = cxr_evlist_push(&j->out);
      if (!o) {
        rc = CX_FATAL;
        break;
      }
      *o = *e; /* moved: the strings change hands */
      e->msg = e->entry = NULL;
    }
  }
  if (rc == CX_OK && t.r->filters) rc = filter_job(&t);
  if (rc == CX_FATAL) {
    /* Out of memory: say so in order, after what was done. */
    struct cx_ctx ctx = {0};
    ctx.file = j->ev.n ? j->ev.v[0].file : NULL;
    cxr_put_msg(&j->out, ctx.file, NULL, CX_FATAL, 0, false, CNT_FAILED, "out of memory");
  }
  /* The input is no longer needed once parsed (-j 1 keeps the buffer for
   * the next job). */
  if (t.r->pool) cx_buf_free(&j->in);
  return j->rec.len + j->out.n * sizeof(struct event) + j->weight_kept;
}

void cxr_note_progress(struct run *r) {
  long long off = r->current ? cx_istream_source_offset(r->current) : -1;
  atomic_store(&r->bytes_read, r->base + (off > 0 ? (unsigned long long)off : 0));
}

/* Hands the job being filled on: to the pool, or (-j 1) works and writes
 * it at once.  Returns CX_OK, or CX_FATAL when reading should stop. */
int cxr_flush_job(struct run *r) {
  struct job *j = r->job;
  if (!j) return CX_OK;
  r->job = NULL;
  cxr_note_progress(r);
  if (!r->pool) {
    cxr_work_job(j, r);
    cxr_write_job(r, j);
    job_recycle(r, j);
    return r->stop ? CX_FATAL : CX_OK;
  }
  if (cxr_pool_submit(r->pool, j, j->weight) != CX_OK) {
    cxr_job_free(j);
    r->reading_stopped = true;
    return CX_FATAL;
  }
  return CX_OK;
}

/* Main-thread message (reading): into the job being filled. */
int cxr_read_msg(struct run *r, const char *file, const char *entry, int code, unsigned long line,
                 bool plain, enum ev_count count, const char *msg) {
  if (!r->job && !(r->job = cxr_job_take(r))) return CX_FATAL;
  if (cxr_put_msg(&r->job->ev, file, entry, code, line, plain, count, msg) != CX_OK)
    return CX_FATAL;
  return cxr_maybe_flush(r);
}

/* pipeline.c - one conversion run: expand the inputs, detect each one's
 * reader, hand every cable to the writer, and apply the error policy.
 *
 * Three roles overlap (-j N, N > 1; with -j 1 one thread plays them all in
 * turn, in the same order):
 *   reading (the calling thread): walks the inputs, opens bundles and
 *     detects each file or entry's reader.  A small input (up to UNIT_MAX
 *     bytes once decompressed) is read into memory whole and becomes a work
 *     unit.  A larger one is cut into parts of about SPLIT_CHUNK bytes at
 *     the record boundaries its reader's record_split finds (ABI 1.1), each
 *     part a unit whose messages count lines from where it starts in the
 *     input; when the reader cannot split, or finds no boundary within
 *     UNIT_MAX bytes, or reading fails, the rest is parsed right here,
 *     sequentially, and only its cables go on (their filtering and encoding
 *     still run in parallel).  Units and cables are batched into jobs of
 *     about JOB_BYTES.
 *   working (N threads of workers.c): parse the units with their reader
 *     over a memory stream, apply --where / --shard, and encode each cable
 *     with the writer's writer_encode when it has one (ABI 1.1).
 *   writing (one thread): takes the jobs back in input order, prints their
 *     messages (whole lines, in order, with file, entry and line), writes
 *     the records (writer_put, bundle_add, a file per cable, or
 *     writer_write for writers without writer_encode), keeps the counts and
 *     draws the progress line.
 * The pool holds at most 4 N + 4 jobs and IN_FLIGHT_MAX bytes (their
 * input until parsed, then their encoded output) between reading and
 * writing, so memory stays flat whatever the corpus.
 * Every message of a job travels in the job, so the output and the messages
 * are the same at any -j.  Plugins are all loaded before cx_convert() is
 * called (ltdl is not thread-safe); readers and writers keep their state
 * per instance.
 *
 * Bundles: an input whose reader is a bundle reader (CX_KIND_CONTAINER with
 * bundle_open) yields entries; each one is detected (the extension of its
 * name, then probe) and read like a file, bundles inside bundles too, down
 * to BUNDLE_DEPTH_MAX levels.  A message about an entry names it as
 * "file(entry)", a nested one as "outer.tar.gz(inner.zip/x.txt)": the
 * names of the entries from the outermost in, joined with '/'.  Writing a
 * bundle (-t tar.gz:raw, or -o x.tar.gz -t raw) encodes each cable with the
 * inner writer into memory and adds it as the entry cable/YYYY/MM/ID.EXT
 * (the Cablegate layout; cable/unknown/ID.EXT without a created date; a
 * repeated name gets -2, -3 ...).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "cablex/cable.h"
#include "cablex/stream.h"
#include "errlog.h"
#include "options_internal.h"
#include "pipeline.h"
#include "progress.h"
#include "select.h"
#include "stream_internal.h"
#include "workers.h"

#define PROBE_BYTES 4096
#define NAME_MAX_LEN 200 /* of a per-cable output file name, before the extension */

/* ---- the list of inputs ---- */

struct input {
  char *path;
  bool walked; /* found in a directory, not named on the command line */
};

struct inputs {
  struct input *v;
  size_t n, cap;
};

static int inputs_add(struct inputs *in, const char *path, bool walked) {
  if (in->n == in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 16;
    struct input *v = realloc(in->v, cap * sizeof *v);
    if (!v) return CX_FATAL;
    in->v = v;
    in->cap = cap;
  }
  char *p = strdup(path);
  if (!p) return CX_FATAL;
  in->v[in->n].path = p;
  in->v[in->n].walked = walked;
  in->n++;
  return CX_OK;
}

static void inputs_free(struct inputs *in) {
  for (size_t i = 0; i < in->n; i++)
    free(in->v[i].path);
  free(in->v);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir);
  bool slash = n && dir[n - 1] == '/';
  size_t len = n + !slash + strlen(name) + 1;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", name);
  return p;
}

/* Adds the files under dir, entries in strcmp order, subdirectories where
 * they sort.  Symlinked directories are not followed (no loops); hidden
 * entries (".name") are left out, as are sockets, FIFOs and devices.
 * Returns CX_OK, CX_FAILED (dir unreadable, reported) or CX_FATAL. */
static int walk(struct inputs *in, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "cablex: %s: cannot read directory: %s\n", dir, strerror(errno));
    return CX_FAILED;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = CX_OK;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      char **v = realloc(names, cap * sizeof *v);
      if (!v) {
        rc = CX_FATAL;
        break;
      }
      names = v;
    }
    if (!(names[n] = strdup(de->d_name))) {
      rc = CX_FATAL;
      break;
    }
    n++;
  }
  closedir(d);
  if (rc == CX_OK && n) qsort(names, n, sizeof *names, cmp_name);
  int result = CX_OK;
  for (size_t i = 0; i < n && rc != CX_FATAL; i++) {
    char *path = join(dir, names[i]);
    struct stat st;
    if (!path) {
      rc = CX_FATAL;
    } else if (lstat(path, &st) != 0) {
      fprintf(stderr, "cablex: %s: %s\n", path, strerror(errno));
      result = CX_FAILED;
    } else if (S_ISDIR(st.st_mode)) {
      rc = walk(in, path);
      if (rc == CX_FAILED) result = rc;
    } else if (S_ISLNK(st.st_mode)) {
      /* A link to a file is read; a link to a directory is not followed.
       * A broken link or a loop is kept, so that opening it reports it. */
      if (stat(path, &st) != 0 || S_ISREG(st.st_mode)) rc = inputs_add(in, path, true);
    } else if (S_ISREG(st.st_mode)) {
      rc = inputs_add(in, path, true);
    }
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc == CX_FATAL ? rc : result;
}

/* ---- detection ---- */

/* The extension of path that picks a plugin: the last one after the
 * basename's first character, a trailing ".gz" ignored.  Writes "" when
 * there is none. */
static void extension_of(const char *path, char *ext, size_t size) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0) n -= 3;
  ext[0] = '\0';
  for (size_t i = n; i-- > 1;) {
    if (base[i] == '.') {
      size_t len = n - i - 1;
      if (len < size) {
        memcpy(ext, base + i + 1, len);
        ext[len] = '\0';
      }
      return;
    }
  }
}

/* The input plugin with the best probe() score over the first bytes, or
 * NULL when none claims them. */
static const struct cx_plugin *probe(const struct cx_registry *reg, struct cx_istream *in,
                                     const char *name) {
  const unsigned char *head = NULL;
  size_t len = cx_istream_peek(in, &head, PROBE_BYTES);
  const struct cx_plugin *best = NULL;
  int best_score = 0;
  for (size_t i = 0; i < cx_registry_count(reg); i++) {
    const struct cx_plugin_entry *e = cx_registry_at(reg, i);
    if (e->status != CX_PLUGIN_LOADED || !(e->plugin->kinds & CX_KIND_INPUT) || !e->plugin->probe)
      continue;
    int score = e->plugin->probe(head ? head : (const unsigned char *)"", head ? len : 0, name);
    if (score > 100) score = 100;
    if (score > best_score) {
      best_score = score;
      best = e->plugin;
    }
  }
  return best;
}

#define UNIT_MAX ((size_t)8 << 20)      /* inputs up to this size are parsed on a worker */
#define JOB_BYTES ((size_t)128 << 10)   /* a job is handed on once it holds this much */
#define JOB_EVENTS 512                  /* ... or this many units, cables and messages */
#define IN_FLIGHT_MAX ((size_t)4 << 20) /* bytes of jobs between reading and writing */
#define BUNDLE_DEPTH_MAX 8              /* bundles inside bundles */
#define READ_CHUNK ((size_t)64 << 10)
#define SPLIT_CHUNK ((size_t)1 << 20) /* parts of a large input that the reader can split */

enum sink_mode { SINK_STREAM, SINK_DIR, SINK_BUNDLE };

/* A set of names given out (files in directory mode, entries in a bundle),
 * so that two cables with the same id do not overwrite each other. */
struct nameset {
  char **slot;
  size_t cap, n;
};

struct sink {
  struct run *run;
  enum sink_mode mode;
  const struct cx_plugin *writer; /* the stream or per-file writer; a bundle's inner writer */
  const struct cx_plugin *bundle; /* SINK_BUNDLE: the bundle writer */
  const char *format;             /* SINK_BUNDLE: "tar.gz" ... */
  bool encode;                    /* the writer has writer_encode and writer_put */
  const char *path;               /* the -o file or "-" */
  const char *dir;                /* directory mode: one file per cable */
  const char *ext;                /* the writer's first extension */
  struct cx_ostream *out;
  void *state; /* the writer's (stream, per file) or the bundle writer's */
  bool opened; /* writer_open / bundle_writer_open succeeded: close is owed */
  struct cx_ctx ctx;
  char *file; /* directory mode: the current cable's file */
  struct nameset names;
  struct cx_buf mem; /* a bundle entry encoded without writer_encode */
};

struct run {
  const struct cx_registry *reg;
  const struct cx_convert_args *args;
  struct cx_options *opts;
  bool quiet;
  struct sink sink;
  /* reading (the calling thread) */
  struct job *job;            /* the job being filled */
  struct cx_pool *pool;       /* NULL with -j 1 */
  bool reading_stopped;       /* the writing side gave up (fail-fast, output lost) */
  unsigned long long base;    /* sizes of the inputs finished so far */
  struct cx_istream *current; /* the input being read, for the progress */
  _Atomic unsigned long long bytes_read;
  /* writing (one thread) */
  unsigned long converted, failed, skipped, filtered;
  bool stop, output_lost, stopped_fail_fast;
  struct cx_progress progress;
  struct cx_errlog *errlog;
  bool errlog_failed;
};

/* ---- jobs: what travels from reading to writing ---- */

enum ev_type {
  EV_PARSE, /* a unit to parse: in[off, off + len) with reader */
  EV_MSG,   /* a message, counted as count says */
  EV_CABLE, /* a cable, parsed (and, once worked on, not encoded) */
  EV_RECORD /* an encoded cable: rec[off, off + len) */
};
enum ev_count { CNT_NONE, CNT_FAILED, CNT_SKIPPED };

struct event {
  enum ev_type type;
  const char *file; /* the input named on the command line or walked; borrowed */
  char *entry;      /* the entry chain in bundles, or NULL */
  const struct cx_plugin *reader;
  size_t off, len;
  unsigned long line0; /* EV_PARSE of a split input: lines before this part */
  bool part;
  /* EV_MSG */
  char *msg;
  int code;
  unsigned long line;
  bool plain; /* msg is the whole line: no place in front */
  enum ev_count count;
  /* EV_CABLE */
  struct cx_cable *cable;
  /* EV_RECORD: the name it gets in a directory or bundle (no extension) */
  char *stem;
};

struct evlist {
  struct event *v;
  size_t n, cap;
};

struct job {
  struct evlist ev;   /* built by reading */
  struct evlist out;  /* built by working, read by writing */
  struct cx_buf in;   /* the units' bytes */
  struct cx_buf rec;  /* the encoded records */
  size_t weight;      /* of what reading put in */
  size_t weight_kept; /* of the cables kept for a writer without writer_encode */
  unsigned long filtered;
};

static void event_free(struct event *e) {
  free(e->entry);
  free(e->msg);
  free(e->stem);
  cx_cable_free(e->cable);
}

static void evlist_free(struct evlist *l) {
  for (size_t i = 0; i < l->n; i++)
    event_free(&l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

/* A new zeroed event at the end of l, or NULL when out of memory. */
static struct event *evlist_push(struct evlist *l) {
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

static struct job *job_new(void) {
  struct job *j = calloc(1, sizeof *j);
  if (!j) return NULL;
  cx_buf_init(&j->in, 0);
  cx_buf_init(&j->rec, 0);
  return j;
}

static void job_free(struct job *j) {
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

/* Adds a message to l.  Returns CX_OK or CX_FATAL (out of memory). */
static int put_msg(struct evlist *l, const char *file, const char *entry, int code,
                   unsigned long line, bool plain, enum ev_count count, const char *msg) {
  struct event *e = evlist_push(l);
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

/* ---- where reading and working put what they find ---- */

/* Reading puts its findings in the job being filled (r->job); working
 * puts them in the output list of the job it works on. */
struct target {
  struct run *r;
  struct job *job;     /* working: this job; NULL: reading */
  unsigned long line0; /* lines of the input before this part of it */
  bool part;           /* a part of a split input: no "no cable in it" */
};

static struct evlist *target_list(struct target *t);
static int target_cable(struct target *t, const char *file, const char *entry,
                        const struct cx_plugin *reader, struct cx_cable *c);

static int target_msg(struct target *t, const struct cx_ctx *ctx, int code, unsigned long line,
                      enum ev_count count, const char *msg) {
  struct evlist *l = target_list(t);
  if (!l) return CX_FATAL;
  return put_msg(l, ctx->file, ctx->entry, code, line ? line + t->line0 : 0, false, count, msg);
}

/* ctx->report: a warning recorded with cx_warn() while a plugin works. */
static void on_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)code;
  target_msg(user, ctx, CX_WARN, ctx->line, CNT_NONE, msg);
}

static void init_ctx(struct cx_ctx *ctx, const char *file, const char *entry, struct target *t) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = file;
  ctx->entry = entry;
  ctx->report = on_warning;
  ctx->report_user = t;
}

/* A CX_WARN whose message was recorded with cx_error() rather than reported
 * with cx_warn() has not been shown yet. */
static int unshown_warning(struct target *t, const struct cx_ctx *ctx) {
  if (ctx->warnings) return CX_OK;
  return target_msg(t, ctx, CX_WARN, ctx->line, CNT_NONE, ctx->msg);
}

/* Reads every cable of in with reader.  Returns CX_OK, CX_FAILED (the input
 * or some cable failed: reported) or CX_FATAL (out of memory, or reading
 * should stop). */
static int read_cables(struct target *t, struct cx_ctx *ctx, struct cx_istream *in,
                       const struct cx_plugin *reader);

static bool reading_stopped(struct run *r) {
  if (r->pool) {
    if (!r->reading_stopped && cx_pool_cancelled(r->pool)) r->reading_stopped = true;
    return r->reading_stopped;
  }
  return r->stop || r->reading_stopped;
}

static int read_cables(struct target *t, struct cx_ctx *ctx, struct cx_istream *in,
                       const struct cx_plugin *reader) {
  struct run *r = t->r;
  void *state = NULL;
  cx_ctx_clear(ctx);
  int rc = reader->reader_open(in, r->opts, ctx, &state);
  if (rc != CX_OK && rc != CX_WARN) {
    if (rc != CX_FATAL && rc != CX_FAILED)
      cx_error(ctx, CX_FATAL, 0, "reader '%s' open returned %d", reader->name, rc);
    return target_msg(t, ctx, ctx->code, ctx->line, CNT_FAILED, ctx->msg) ? CX_FATAL : CX_FAILED;
  }
  if (rc == CX_WARN && unshown_warning(t, ctx)) {
    reader->reader_close(state);
    return CX_FATAL;
  }

  int result = CX_OK;
  bool any = false; /* the reader gave a cable or an error */
  for (;;) {
    if (!t->job && reading_stopped(r)) {
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
      if (target_msg(t, ctx, CX_FAILED, ctx->line, CNT_FAILED, ctx->msg)) {
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
      result = target_msg(t, ctx, CX_FATAL, ctx->line, CNT_FAILED, ctx->msg) ? CX_FATAL : CX_FAILED;
      break;
    }
    if (rc == CX_WARN && unshown_warning(t, ctx)) {
      cx_cable_free(c);
      result = CX_FATAL;
      break;
    }
    if (target_cable(t, ctx->file, ctx->entry, reader, c) != CX_OK) {
      result = CX_FATAL;
      break;
    }
  }
  if (!any && result != CX_FATAL && !t->part) {
    /* An empty input (or blanks only) converts to nothing: say so. */
    cx_ctx_clear(ctx);
    if (target_msg(t, ctx, CX_WARN, 0, CNT_SKIPPED, "skipped: no cable in it")) result = CX_FATAL;
  }
  reader->reader_close(state);
  return result;
}

/* ---- working: parse, select, encode ---- */

/* The name of a cable's file (directory mode) or entry (bundle), without
 * extension: id, canonical id or the input's basename reduced to
 * [A-Za-z0-9._-]; in a bundle under cable/YYYY/MM/ of its created date. */
static char *cable_stem(const struct sink *s, const struct cx_cable *c, const char *input) {
  const char *stem = c->id && *c->id ? c->id : c->canonical_id;
  char base[NAME_MAX_LEN + 1];
  size_t n = 0;
  if (!stem || !*stem) {
    const char *b = strrchr(input, '/');
    stem = b ? b + 1 : input;
    if (strcmp(stem, "-") == 0) stem = "stdin";
  }
  for (const char *p = stem; *p && n < NAME_MAX_LEN; p++) {
    unsigned char ch = (unsigned char)*p;
    base[n++] = (isalnum(ch) && ch < 128) || ch == '.' || ch == '_' || ch == '-' ? (char)ch : '_';
  }
  base[n] = '\0';
  if (stem != c->id && stem != c->canonical_id) {
    /* An input basename loses its extensions: "x.txt.gz" -> "x". */
    char *dot = strchr(base + 1, '.');
    if (dot) *dot = '\0';
  }
  if (base[0] == '.') base[0] = '_'; /* no hidden files, no ".." */
  if (!base[0]) strcpy(base, "cable");
  if (s->mode != SINK_BUNDLE) return strdup(base);

  char dir[32] = "cable/unknown/";
  const char *d = c->created;
  if (d && strlen(d) >= 7 && isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[1]) &&
      isdigit((unsigned char)d[2]) && isdigit((unsigned char)d[3]) && d[4] == '-' &&
      ((d[5] == '0' && d[6] >= '1' && d[6] <= '9') || (d[5] == '1' && d[6] >= '0' && d[6] <= '2')))
    snprintf(dir, sizeof dir, "cable/%.4s/%.2s/", d, d + 5);
  size_t len = strlen(dir) + strlen(base) + 1;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s%s", dir, base);
  return p;
}

static size_t cable_weight(const struct cx_cable *c);

/* A cable read from file (entry): selected, then encoded or kept. */
static int work_cable(struct target *t, const char *file, const char *entry, struct cx_cable *c) {
  struct run *r = t->r;
  struct job *j = t->job;
  const struct cx_convert_args *a = r->args;
  if ((a->where && !cx_select_match(a->where, c)) ||
      (a->shard_n && !cx_shard_match(a->shard_k, a->shard_n, c))) {
    j->filtered++;
    cx_cable_free(c);
    return CX_OK;
  }
  const struct sink *s = &r->sink;
  char *stem = NULL;
  if (s->mode != SINK_STREAM && !(stem = cable_stem(s, c, entry ? entry : file))) {
    cx_cable_free(c);
    return CX_FATAL;
  }
  if (!s->encode) {
    struct event *e = evlist_push(&j->out);
    if (!e) {
      free(stem);
      cx_cable_free(c);
      return CX_FATAL;
    }
    e->type = EV_CABLE;
    e->file = file;
    e->cable = c;
    e->stem = stem;
    j->weight_kept += cable_weight(c);
    if (entry && !(e->entry = strdup(entry))) return CX_FATAL;
    return CX_OK;
  }
  /* Messages of the encoding carry the output's name, as writer_write's do. */
  struct cx_ctx ctx;
  init_ctx(&ctx, s->dir ? s->dir : s->path, NULL, t);
  size_t start = j->rec.len;
  int rc = s->writer->writer_encode(r->opts, c, &ctx, &j->rec);
  int result = CX_OK;
  if (rc == CX_OK || rc == CX_WARN) {
    if (rc == CX_WARN) result = unshown_warning(t, &ctx);
    struct event *e = result ? NULL : evlist_push(&j->out);
    if (!e) {
      result = CX_FATAL;
    } else {
      e->type = EV_RECORD;
      e->file = file;
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
    result = target_msg(t, &ctx, CX_FAILED, ctx.line, CNT_FAILED, ctx.msg);
  }
  free(stem);
  cx_cable_free(c);
  return result;
}

static struct evlist *target_list(struct target *t) {
  if (t->job) return &t->job->out;
  if (!t->r->job && !(t->r->job = job_new())) return NULL;
  return &t->r->job->ev;
}

static size_t cable_weight(const struct cx_cable *c) {
  return 1024 + (c->body ? strlen(c->body) : 0) + (c->header_text ? strlen(c->header_text) : 0);
}

static int flush_job(struct run *r);

/* Hands the job on once it is full. */
static int maybe_flush(struct run *r) {
  struct job *j = r->job;
  if (!j || (j->weight < JOB_BYTES && j->ev.n < JOB_EVENTS)) return CX_OK;
  return flush_job(r);
}

static int target_cable(struct target *t, const char *file, const char *entry,
                        const struct cx_plugin *reader, struct cx_cable *c) {
  if (cx_set(&c->source.format, reader->name) != CX_OK || cx_set(&c->source.path, file) != CX_OK ||
      cx_set(&c->source.entry, entry) != CX_OK) {
    cx_cable_free(c);
    return CX_FATAL;
  }
  if (t->job) return work_cable(t, file, entry, c);
  /* reading a large input: the cable goes on to be worked on */
  struct evlist *l = target_list(t);
  struct event *e = l ? evlist_push(l) : NULL;
  if (!e) {
    cx_cable_free(c);
    return CX_FATAL;
  }
  e->type = EV_CABLE;
  e->file = file;
  e->cable = c;
  if (entry && !(e->entry = strdup(entry))) return CX_FATAL;
  t->r->job->weight += cable_weight(c);
  return maybe_flush(t->r);
}

/* Parses one unit of a job (on a worker). */
static int work_unit(struct target *t, const struct event *u) {
  t->line0 = u->line0;
  t->part = u->part;
  struct cx_ctx ctx;
  init_ctx(&ctx, u->file, u->entry, t);
  /* named as the file, so that stream messages need no name in front */
  struct cx_istream *in = cx_istream_open_mem(t->job->in.data + u->off, u->len, u->file, &ctx);
  if (!in) return target_msg(t, &ctx, CX_FAILED, ctx.line, CNT_FAILED, ctx.msg);
  int rc = read_cables(t, &ctx, in, u->reader);
  cx_istream_close(in);
  return rc == CX_FATAL ? CX_FATAL : CX_OK;
}

/* The work function of the pool (and of -j 1): turns j->ev into j->out. */
static size_t work_job(void *job, void *user) {
  struct job *j = job;
  struct target t = {user, j, 0, false};
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
      struct event *o = evlist_push(&j->out);
      if (!o) {
        rc = CX_FATAL;
        break;
      }
      *o = *e; /* moved: the strings change hands */
      e->msg = e->entry = NULL;
    }
  }
  if (rc == CX_FATAL) {
    /* Out of memory: say so in order, after what was done. */
    struct cx_ctx ctx = {0};
    ctx.file = j->ev.n ? j->ev.v[0].file : NULL;
    put_msg(&j->out, ctx.file, NULL, CX_FATAL, 0, false, CNT_FAILED, "out of memory");
  }
  /* The input is no longer needed once parsed. */
  cx_buf_free(&j->in);
  return j->rec.len + j->out.n * sizeof(struct event) + j->weight_kept;
}

/* ---- writing ---- */

static void print_line(struct run *r, bool warning, const struct cx_ctx *where, const char *msg,
                       unsigned long line, int code, bool plain) {
  if (r->errlog && !r->errlog_failed) {
    struct cx_ctx w = {0};
    if (where) w = *where;
    w.line = line;
    if (plain) w.file = w.entry = NULL;
    if (cx_errlog_put(r->errlog, &w, code, msg) != CX_OK) r->errlog_failed = true;
  }
  if (warning && r->quiet) return;
  char buf[CX_MSG_MAX + PATH_MAX + 64]; /* the place (a path) and the message */
  if (plain)
    snprintf(buf, sizeof buf, "%s", msg);
  else
    cx_ctx_format(where, msg && *msg ? msg : "failed (no message)", line, buf, sizeof buf);
  cx_progress_clear(&r->progress);
  fprintf(stderr, "cablex: %s%s\n", warning ? "warning: " : "", buf);
}

static void report_ctx(struct run *r, const struct cx_ctx *ctx) {
  print_line(r, false, ctx, ctx->msg, ctx->line, ctx->code ? ctx->code : CX_FATAL, false);
}

static void report_unshown_warning(struct run *r, const struct cx_ctx *ctx) {
  if (ctx->warnings == 0) print_line(r, true, ctx, ctx->msg, ctx->line, CX_WARN, false);
}

/* ctx->report of the sink (writing thread). */
static void on_sink_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)code;
  print_line(user, true, ctx, msg, ctx->line, CX_WARN, false);
}

static void init_sink_ctx(struct run *r, struct cx_ctx *ctx, const char *file) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = file;
  ctx->report = on_sink_warning;
  ctx->report_user = r;
}

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static bool nameset_has(const struct nameset *s, const char *name) {
  if (!s->cap) return false;
  for (size_t i = hash(name) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (!s->slot[i]) return false;
    if (strcmp(s->slot[i], name) == 0) return true;
  }
}

static int nameset_put(struct nameset *s, char *owned) {
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    char **slot = calloc(cap, sizeof *slot);
    if (!slot) {
      free(owned);
      return CX_FATAL;
    }
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->slot[i]) continue;
      size_t j = hash(s->slot[i]) & (cap - 1);
      while (slot[j])
        j = (j + 1) & (cap - 1);
      slot[j] = s->slot[i];
    }
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
  }
  size_t j = hash(owned) & (s->cap - 1);
  while (s->slot[j])
    j = (j + 1) & (s->cap - 1);
  s->slot[j] = owned;
  s->n++;
  return CX_OK;
}

static void nameset_free(struct nameset *s) {
  for (size_t i = 0; i < s->cap; i++)
    free(s->slot[i]);
  free(s->slot);
}

/* Checks a writer's return code: anything unknown counts as fatal. */
static int writer_code(struct sink *s, int rc, const char *what) {
  if (rc == CX_OK || rc == CX_WARN || rc == CX_FAILED || rc == CX_FATAL) return rc;
  return cx_error(&s->ctx, CX_FATAL, 0, "writer '%s' %s returned %d", s->writer->name, what, rc);
}

static int sink_open_stream(struct sink *s, const char *path) {
  init_sink_ctx(s->run, &s->ctx, path);
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
  if (rc == CX_WARN) report_unshown_warning(s->run, &s->ctx);
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
static int sink_close_stream(struct sink *s, bool abort) {
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
    if (rc == CX_WARN) report_unshown_warning(s->run, &s->ctx);
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

/* stem + [-K] + "." + ext, unique in this run (prefix: the directory). */
static char *unique_name(struct sink *s, const char *prefix, const char *stem) {
  size_t len = strlen(prefix) + strlen(stem) + strlen(s->ext) + 32;
  char *path = malloc(len);
  if (!path) return NULL;
  snprintf(path, len, "%s%s.%s", prefix, stem, s->ext);
  for (unsigned long k = 2; nameset_has(&s->names, path); k++)
    snprintf(path, len, "%s%s-%lu.%s", prefix, stem, k, s->ext);
  char *copy = strdup(path);
  if (!copy || nameset_put(&s->names, copy) != CX_OK) {
    free(path);
    return NULL;
  }
  return path;
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
    if (wrc == CX_WARN) report_unshown_warning(s->run, &s->ctx);
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
  if (s->mode == SINK_BUNDLE) {
    char *name = unique_name(s, "", stem);
    if (!name) {
      print_line(s->run, false, NULL, "out of memory", 0, CX_FATAL, true);
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
    if (rc == CX_FAILED || rc == CX_FATAL) report_ctx(s->run, &s->ctx);
    free(name);
    return rc;
  }
  if (s->mode == SINK_DIR) {
    free(s->file);
    const char *sep = s->dir[strlen(s->dir) - 1] == '/' ? "" : "/";
    size_t plen = strlen(s->dir) + 2;
    char *prefix = malloc(plen);
    if (prefix) snprintf(prefix, plen, "%s%s", s->dir, sep);
    s->file = prefix ? unique_name(s, prefix, stem) : NULL;
    free(prefix);
    if (!s->file) {
      print_line(s->run, false, NULL, "out of memory", 0, CX_FATAL, true);
      return CX_FATAL;
    }
    rc = sink_open_stream(s, s->file);
    if (rc == CX_FATAL) {
      report_ctx(s->run, &s->ctx);
      return rc;
    }
  }
  cx_ctx_clear(&s->ctx);
  if (data)
    rc = writer_code(s, s->writer->writer_put(s->state, data, len, &s->ctx), "put");
  else
    rc = writer_code(s, s->writer->writer_write(s->state, c, &s->ctx), "write");
  if (rc == CX_WARN) report_unshown_warning(s->run, &s->ctx);
  if (rc == CX_FAILED || rc == CX_FATAL) report_ctx(s->run, &s->ctx);
  if (s->mode == SINK_DIR) {
    int crc = sink_close_stream(s, rc == CX_FAILED || rc == CX_FATAL);
    if (crc == CX_FATAL && rc != CX_FAILED && rc != CX_FATAL) {
      report_ctx(s->run, &s->ctx);
      rc = CX_FATAL;
    }
  }
  return rc;
}

static void stop_run(struct run *r) {
  r->stop = true;
  if (r->pool) cx_pool_cancel(r->pool);
}

static void count_failure(struct run *r) {
  r->failed++;
  if (r->args->fail_fast && !r->stop) {
    r->stopped_fail_fast = true;
    stop_run(r);
  }
}

/* Writes a worked-on job in order (the writing thread). */
static void write_job(struct run *r, struct job *j) {
  r->filtered += j->filtered;
  struct sink *s = &r->sink;
  for (size_t i = 0; i < j->out.n && !r->stop; i++) {
    struct event *e = &j->out.v[i];
    if (e->type == EV_MSG) {
      struct cx_ctx where = {0};
      where.file = e->file;
      where.entry = e->entry;
      bool warning = e->code == CX_WARN || e->code == CX_OK;
      print_line(r, warning, &where, e->msg, e->line, e->code, e->plain);
      if (e->count == CNT_FAILED) count_failure(r);
      if (e->count == CNT_SKIPPED) r->skipped++;
      continue;
    }
    if (e->type != EV_RECORD && e->type != EV_CABLE) continue;
    char *stem = e->stem;
    if (e->type == EV_CABLE && s->mode != SINK_STREAM && !stem)
      stem = e->stem = cable_stem(s, e->cable, e->entry ? e->entry : e->file);
    int rc;
    if (s->mode != SINK_STREAM && !stem) {
      print_line(r, false, NULL, "out of memory", 0, CX_FATAL, true);
      rc = CX_FATAL;
    } else if (e->type == EV_RECORD) {
      rc = sink_put(s, stem, j->rec.data + e->off, e->len, NULL);
    } else {
      rc = sink_put(s, stem, NULL, 0, e->cable);
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
  cx_progress_update(&r->progress, r->converted, atomic_load(&r->bytes_read), false);
}

static void *writer_main(void *arg) {
  struct run *r = arg;
  struct job *j;
  while ((j = cx_pool_next(r->pool))) {
    if (!r->stop) write_job(r, j);
    job_free(j);
  }
  return NULL;
}

/* ---- reading ---- */

static void note_progress(struct run *r) {
  long long off = r->current ? cx_istream_source_offset(r->current) : -1;
  atomic_store(&r->bytes_read, r->base + (off > 0 ? (unsigned long long)off : 0));
}

/* Hands the job being filled on: to the pool, or (-j 1) works and writes
 * it at once.  Returns CX_OK, or CX_FATAL when reading should stop. */
static int flush_job(struct run *r) {
  struct job *j = r->job;
  if (!j) return CX_OK;
  r->job = NULL;
  note_progress(r);
  if (!r->pool) {
    work_job(j, r);
    write_job(r, j);
    job_free(j);
    return r->stop ? CX_FATAL : CX_OK;
  }
  if (cx_pool_submit(r->pool, j, j->weight) != CX_OK) {
    job_free(j);
    r->reading_stopped = true;
    return CX_FATAL;
  }
  return CX_OK;
}

/* Main-thread message (reading): into the job being filled. */
static int read_msg(struct run *r, const char *file, const char *entry, int code,
                    unsigned long line, bool plain, enum ev_count count, const char *msg) {
  if (!r->job && !(r->job = job_new())) return CX_FATAL;
  if (put_msg(&r->job->ev, file, entry, code, line, plain, count, msg) != CX_OK) return CX_FATAL;
  return maybe_flush(r);
}

/* A stream that gives prefix first, then the rest of another stream: a
 * large input is parsed on from where reading it whole stopped. */
struct prefixed {
  const char *data;
  size_t len, pos;
  struct cx_istream *rest;
};

static long prefixed_read(void *user, void *buf, size_t n) {
  struct prefixed *p = user;
  if (p->pos < p->len) {
    size_t k = p->len - p->pos < n ? p->len - p->pos : n;
    memcpy(buf, p->data + p->pos, k);
    p->pos += k;
    return (long)k;
  }
  return cx_istream_read(p->rest, buf, n);
}

static int read_source(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                       const char *entry, const char *name, const struct cx_plugin *forced,
                       bool walked, int depth, unsigned long long size);

/* The entries of a bundle, each read like a file. */
static int read_bundle(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                       const char *entry, const struct cx_plugin *p, int depth) {
  if (depth >= BUNDLE_DEPTH_MAX) {
    char msg[96];
    snprintf(msg, sizeof msg, "bundle nested more than %d deep: not read", BUNDLE_DEPTH_MAX);
    return read_msg(r, file, entry, CX_FAILED, 0, false, CNT_FAILED, msg) ? CX_FATAL : CX_FAILED;
  }
  void *state = NULL;
  cx_ctx_clear(ctx);
  int rc = p->bundle_open(in, r->opts, ctx, &state);
  if (rc != CX_OK && rc != CX_WARN) {
    if (rc != CX_FAILED && rc != CX_FATAL)
      cx_error(ctx, CX_FATAL, 0, "bundle reader '%s' open returned %d", p->name, rc);
    return read_msg(r, file, ctx->entry, ctx->code, ctx->line, false, CNT_FAILED, ctx->msg)
               ? CX_FATAL
               : CX_FAILED;
  }
  struct target t = {r, NULL, 0, false};
  if (rc == CX_WARN && unshown_warning(&t, ctx)) {
    p->bundle_close(state);
    return CX_FATAL;
  }
  int result = CX_OK;
  for (;;) {
    if (reading_stopped(r)) {
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
    if (which) {
      size_t len = (entry ? strlen(entry) + 1 : 0) + strlen(which) + 1;
      if (!(chain = malloc(len))) {
        result = CX_FATAL;
        break;
      }
      snprintf(chain, len, "%s%s%s", entry ? entry : "", entry ? "/" : "", which);
    }
    if (rc != CX_OK) {
      if (rc != CX_FAILED && rc != CX_FATAL)
        cx_error(ctx, CX_FATAL, 0, "bundle reader '%s' returned %d", p->name, rc);
      int code = rc == CX_FAILED ? CX_FAILED : CX_FATAL;
      int mrc =
          read_msg(r, file, chain ? chain : entry, code, ctx->line, false, CNT_FAILED, ctx->msg);
      free(chain);
      result = mrc ? CX_FATAL : CX_FAILED;
      ctx->entry = entry;
      if (mrc || code == CX_FATAL) break; /* nothing more can be read */
      continue;
    }
    ctx->entry = chain;
    rc = read_source(r, e, ctx, file, chain, name, NULL, true, depth + 1, 0);
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

static bool has_split(const struct cx_plugin *p) {
  return CX_PLUGIN_HAS(p, record_split) && p->record_split;
}

/* Parses the rest of an input here, sequentially: first the bytes already
 * read (head), then what in still holds.  line0: lines before head. */
static int read_on(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *entry,
                   const struct cx_plugin *reader, const struct cx_buf *head, unsigned long line0) {
  struct prefixed px = {head->data, head->len, 0, in};
  struct cx_istream *whole_in = cx_istream_open_fn(prefixed_read, &px, ctx->file, ctx);
  if (!whole_in)
    return read_msg(r, ctx->file, entry, CX_FAILED, 0, false, CNT_FAILED, ctx->msg) ? CX_FATAL
                                                                                    : CX_FAILED;
  struct target t = {r, NULL, line0, line0 > 0};
  void *report_user = ctx->report_user;
  ctx->report_user = &t; /* its warnings get line0 too */
  int rc = read_cables(&t, ctx, whole_in, reader);
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
  char chunk[READ_CHUNK];
  for (;;) {
    if (reading_stopped(r)) return CX_FATAL;
    while (!eof && rest->len < want) {
      long got = cx_istream_read(in, chunk, sizeof chunk);
      if (got < 0) return read_on(r, in, ctx, entry, reader, rest, line0);
      if (got == 0) eof = true;
      if (got > 0 && cx_buf_add(rest, chunk, (size_t)got) != CX_OK) return CX_FATAL;
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
    if (!r->job && !(r->job = job_new())) return CX_FATAL;
    struct cx_buf *b = &r->job->in;
    size_t off = b->len;
    struct event *e = evlist_push(&r->job->ev);
    if (!e || cx_buf_add(b, rest->data, cut) != CX_OK) return CX_FATAL;
    e->type = EV_PARSE;
    e->file = file;
    e->reader = reader;
    e->off = off;
    e->len = cut;
    e->line0 = line0;
    e->part = true;
    if (entry && !(e->entry = strdup(entry))) return CX_FATAL;
    r->job->weight += cut;
    for (const char *p = rest->data, *end = rest->data + cut;
         (p = memchr(p, '\n', (size_t)(end - p))); p++)
      line0++;
    memmove(rest->data, rest->data + cut, rest->len - cut);
    rest->len -= cut;
    rest->data[rest->len] = '\0';
    want = SPLIT_CHUNK;
    if (maybe_flush(r) != CX_OK) return CX_FATAL;
    if (eof && rest->len == 0) return CX_OK;
  }
}

static bool is_bundle_reader(const struct cx_plugin *p) {
  return (p->kinds & CX_KIND_CONTAINER) && CX_PLUGIN_HAS(p, bundle_close) && p->bundle_open &&
         p->bundle_next && p->bundle_close;
}

/* Reads one file or bundle entry: detects its reader, then reads it whole
 * into the job being filled (a unit for a worker) or, when larger than
 * UNIT_MAX or unreadable to its end, parses it here.  Returns CX_OK,
 * CX_FAILED (reported) or CX_FATAL (stop reading). */
static int read_source(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                       const char *entry, const char *name, const struct cx_plugin *forced,
                       bool walked, int depth, unsigned long long size) {
  const struct cx_plugin *reader = forced;
  if (!reader) {
    char ext[64];
    extension_of(name, ext, sizeof ext);
    if (ext[0]) reader = cx_registry_by_ext(r->reg, ext, CX_KIND_INPUT);
    if (!reader) reader = probe(r->reg, in, name);
  }
  if (!reader) {
    if (walked || entry) {
      /* A stray file in a directory or a bundle being converted is not an error. */
      return read_msg(r, file, entry, CX_WARN, 0, false, CNT_SKIPPED,
                      "skipped: no input plugin recognises it")
                 ? CX_FATAL
                 : CX_OK;
    }
    char msg[PATH_MAX + 96];
    snprintf(msg, sizeof msg, "no input plugin recognises %s; use -f (see cablex plugins)", file);
    return read_msg(r, file, NULL, CX_FAILED, 0, true, CNT_FAILED, msg) ? CX_FATAL : CX_FAILED;
  }
  if (is_bundle_reader(reader)) return read_bundle(r, in, ctx, file, entry, reader, depth);

  /* Whole into memory, if it is small enough. */
  if (!r->job && !(r->job = job_new())) return CX_FATAL;
  struct cx_buf *b = &r->job->in;
  size_t off = b->len;
  long got = 0;
  bool whole = size <= UNIT_MAX;
  char chunk[READ_CHUNK];
  while (whole) {
    got = cx_istream_read(in, chunk, sizeof chunk);
    if (got <= 0) break;
    if (cx_buf_add(b, chunk, (size_t)got) != CX_OK) return CX_FATAL;
    if (b->len - off > UNIT_MAX) whole = false;
  }
  if (whole && got == 0) {
    struct event *e = evlist_push(&r->job->ev);
    if (!e) return CX_FATAL;
    e->type = EV_PARSE;
    e->file = file;
    e->reader = reader;
    e->off = off;
    e->len = b->len - off;
    if (entry && !(e->entry = strdup(entry))) return CX_FATAL;
    r->job->weight += e->len;
    return maybe_flush(r);
  }

  /* Too large, or a read error (it comes again from the stream, after the
   * cables before it). */
  struct cx_buf rest;
  cx_buf_init(&rest, 0);
  if (b->len > off) {
    if (cx_buf_add(&rest, b->data + off, b->len - off) != CX_OK) return CX_FATAL;
    b->len = off;
    b->data[off] = '\0';
  }
  int rc = got >= 0 && has_split(reader) ? read_parts(r, in, ctx, file, entry, reader, &rest)
                                         : read_on(r, in, ctx, entry, reader, &rest, 0);
  cx_buf_free(&rest);
  return rc;
}

/* Reads one input named on the command line or found in a directory. */
static int read_input(struct run *r, const struct input *inp, const struct cx_plugin *forced) {
  struct target t = {r, NULL, 0, false};
  struct cx_ctx ctx;
  init_ctx(&ctx, inp->path, NULL, &t);
  struct stat st;
  unsigned long long size = 0;
  if (strcmp(inp->path, "-") != 0 && stat(inp->path, &st) == 0 && S_ISREG(st.st_mode))
    size = (unsigned long long)st.st_size;

  struct cx_istream *in = cx_istream_open(inp->path, &ctx);
  if (!in) {
    int rc = read_msg(r, ctx.file, NULL, CX_FAILED, ctx.line, false, CNT_FAILED, ctx.msg);
    return rc ? CX_FATAL : CX_FAILED;
  }
  r->current = in;
  /* a gzip file is larger once decompressed: its size says nothing */
  unsigned long long unit = cx_istream_is_gzip(in) ? 0 : size;
  int rc = read_source(r, in, &ctx, inp->path, NULL, inp->path, forced, inp->walked, 0, unit);
  r->current = NULL;
  cx_istream_close(in);
  r->base += size;
  note_progress(r);
  return rc;
}

/* ---- the run ---- */

static int usage_error(const char *fmt, const char *arg) {
  fputs("cablex: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return CX_EXIT_USAGE;
}

/* Creates dir and its parents (mkdir -p). */
static int make_dirs(const char *dir) {
  char *p = strdup(dir);
  if (!p) return -1;
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
  free(p);
  return rc;
}

/* Builds the options plugins see: -O values, then max-cable-size. */
static int build_options(struct run *r) {
  const struct cx_convert_args *a = r->args;
  r->opts = cx_options_new();
  if (!r->opts) return usage_error("%s", "out of memory");
  for (size_t i = 0; i < a->noptions; i++) {
    int rc = cx_options_parse(r->opts, a->options[i]);
    if (rc == CX_FAILED)
      return usage_error("bad option '-O %s': expected NAME[=VALUE]", a->options[i]);
    if (rc != CX_OK) return usage_error("%s", "out of memory");
  }
  char size[32];
  snprintf(size, sizeof size, "%zu", a->max_cable_size ? a->max_cable_size : CX_DEFAULT_CABLE_MAX);
  if (cx_options_set(r->opts, "max-cable-size", size) != CX_OK)
    return usage_error("%s", "out of memory");

  /* An option no loaded plugin knows is most likely a typo. */
  for (size_t i = 0; i < a->noptions; i++) {
    const char *name = NULL, *value = NULL;
    if (!cx_options_at(r->opts, i, &name, &value)) break;
    bool known = false;
    for (size_t k = 0; k < cx_registry_count(r->reg) && !known; k++) {
      const struct cx_plugin_entry *e = cx_registry_at(r->reg, k);
      if (e->status != CX_PLUGIN_LOADED || !e->plugin->options) continue;
      for (const struct cx_option_doc *d = e->plugin->options; d->name && !known; d++)
        known = strcmp(d->name, name) == 0;
    }
    if (!known && !r->quiet)
      fprintf(stderr, "cablex: warning: option '%s' is not used by any loaded plugin\n", name);
  }
  return CX_EXIT_OK;
}

/* True when path names the file st describes (same device and inode). */
static bool same_file(const char *path, const struct stat *st) {
  struct stat o;
  return stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

/* Refuses an output that would replace an input: the -o file itself (a run
 * with a failed cable would lose that cable for good), or in directory mode
 * a file right in the output directory (a cable's file could replace it
 * before it is read).  Returns CX_EXIT_OK or CX_EXIT_USAGE (reported). */
static int check_output_not_input(const struct sink *s, const struct inputs *in) {
  const char *out = s->dir ? s->dir : s->path;
  struct stat ost;
  if (strcmp(out, "-") == 0 || stat(out, &ost) != 0) return CX_EXIT_OK;
  if (!s->dir && !S_ISREG(ost.st_mode)) return CX_EXIT_OK; /* /dev/null, a FIFO */
  for (size_t i = 0; i < in->n; i++) {
    const char *p = in->v[i].path;
    if (strcmp(p, "-") == 0) continue;
    if (!s->dir) {
      if (!same_file(p, &ost)) continue;
      fprintf(stderr,
              "cablex: the output %s is also an input (%s): refusing to replace it; "
              "write to another file\n",
              s->path, p);
      return CX_EXIT_USAGE;
    }
    const char *slash = strrchr(p, '/');
    char *parent = slash ? strndup(p, slash == p ? 1 : (size_t)(slash - p)) : strdup(".");
    bool inside = parent && same_file(parent, &ost);
    free(parent);
    if (!inside) continue;
    fprintf(stderr,
            "cablex: the output directory %s holds the input %s, which a cable's file "
            "could replace before it is read: write to another directory\n",
            s->dir, p);
    return CX_EXIT_USAGE;
  }
  return CX_EXIT_OK;
}

/* -f / -t take a plugin name or one of its extensions ("jsonl" names json). */
static const struct cx_plugin *plugin_named(const struct cx_registry *reg, const char *fmt,
                                            unsigned kinds) {
  const struct cx_plugin *p = cx_registry_find(reg, fmt, kinds);
  return p ? p : cx_registry_by_ext(reg, fmt, kinds);
}

/* A bundle writer (CONTAINER|OUTPUT with the bundle writer members). */
static bool is_bundle_writer(const struct cx_plugin *p) {
  return (p->kinds & CX_KIND_CONTAINER) && (p->kinds & CX_KIND_OUTPUT) &&
         CX_PLUGIN_HAS(p, bundle_writer_close) && p->bundle_writer_open && p->bundle_add &&
         p->bundle_writer_close;
}

/* The bundle writer that fmt names (by name or extension), or, with
 * is_path, whose extension ends fmt's basename (the longest that does);
 * *format is the extension matched (the first one for a name). */
static const struct cx_plugin *find_bundle_writer(const struct cx_registry *reg, const char *fmt,
                                                  bool is_path, const char **format) {
  const struct cx_plugin *best = NULL;
  size_t best_len = 0;
  const char *base = strrchr(fmt, '/');
  base = base ? base + 1 : fmt;
  size_t n = strlen(base);
  for (size_t i = 0; i < cx_registry_count(reg); i++) {
    const struct cx_plugin_entry *e = cx_registry_at(reg, i);
    if (e->status != CX_PLUGIN_LOADED || !is_bundle_writer(e->plugin)) continue;
    const struct cx_plugin *p = e->plugin;
    if (!is_path && strcmp(p->name, fmt) == 0 && p->extensions && p->extensions[0]) {
      *format = p->extensions[0];
      return p;
    }
    for (const char *const *x = p->extensions; x && *x; x++) {
      size_t k = strlen(*x);
      if (!is_path) {
        if (strcasecmp(*x, fmt) == 0) {
          *format = *x;
          return p;
        }
      } else if (n > k + 1 && base[n - k - 1] == '.' && strcasecmp(base + n - k, *x) == 0 &&
                 k > best_len) {
        best = p;
        best_len = k;
        *format = *x;
      }
    }
  }
  return best;
}

static bool has_encode(const struct cx_plugin *p) {
  return CX_PLUGIN_HAS(p, writer_put) && p->writer_encode && p->writer_put;
}

/* Picks the writer(s) from -t and -o.  Returns CX_EXIT_OK or CX_EXIT_USAGE
 * (reported). */
static int choose_writer(struct run *r, struct sink *s) {
  const struct cx_convert_args *args = r->args;
  const char *to = args->to;
  char outer[64] = "";
  const char *colon = to ? strchr(to, ':') : NULL;
  if (colon) { /* -t BUNDLE:INNER */
    size_t k = (size_t)(colon - to);
    if (k == 0 || k >= sizeof outer || !colon[1])
      return usage_error("bad -t '%s': expected BUNDLE:FORMAT, e.g. tar.gz:json", to);
    memcpy(outer, to, k);
    outer[k] = '\0';
    s->bundle = find_bundle_writer(r->reg, outer, false, &s->format);
    if (!s->bundle) return usage_error("no bundle writer for '%s' (see cablex plugins)", outer);
    to = colon + 1;
  } else if (!s->dir && strcmp(s->path, "-") != 0) {
    s->bundle = find_bundle_writer(r->reg, s->path, true, &s->format);
  }
  if (to) {
    s->writer = plugin_named(r->reg, to, CX_KIND_OUTPUT);
    if (!s->writer) return usage_error("no output plugin named '%s' (see cablex plugins)", to);
  } else if (s->dir || strcmp(s->path, "-") == 0) {
    return usage_error("%s", "no output format: give -t FMT (see cablex plugins)");
  } else if (!s->bundle) {
    char ext[64];
    extension_of(s->path, ext, sizeof ext);
    if (ext[0]) s->writer = cx_registry_by_ext(r->reg, ext, CX_KIND_OUTPUT);
    if (!s->writer)
      return usage_error("no output plugin for '%s': give -t FMT (see cablex plugins)", s->path);
  }
  if (s->writer && is_bundle_writer(s->writer)) {
    /* -t tar.gz alone: a bundle needs the format of its entries */
    return usage_error("'%s' writes bundles: give the format of its entries too, "
                       "e.g. -t tar.gz:json or -o out.tar.gz -t json",
                       to ? to : s->path);
  }
  if (s->bundle && !s->writer)
    return usage_error("%s",
                       "a bundle output needs the format of its entries: -t FMT (e.g. -t raw)");
  if (s->bundle && s->dir)
    return usage_error("%s", "a bundle is one file: -o cannot be a directory");
  s->mode = s->bundle ? SINK_BUNDLE : s->dir ? SINK_DIR : SINK_STREAM;
  s->encode = has_encode(s->writer);
  s->ext = s->writer->extensions && s->writer->extensions[0] ? s->writer->extensions[0]
                                                             : s->writer->name;
  return CX_EXIT_OK;
}

int cx_convert(const struct cx_registry *reg, const struct cx_convert_args *args) {
  struct run r = {0};
  r.reg = reg;
  r.args = args;
  r.quiet = args->quiet;
  double start = cx_now();

  if (cx_registry_loaded(reg) == 0)
    return usage_error("%s", "no plugin could be loaded (see cablex plugins)");

  const struct cx_plugin *reader = NULL;
  if (args->from) {
    reader = plugin_named(reg, args->from, CX_KIND_INPUT);
    if (!reader) return usage_error("no input plugin named '%s' (see cablex plugins)", args->from);
  }

  struct sink *s = &r.sink;
  s->run = &r;
  s->path = args->output && *args->output ? args->output : "-";
  struct stat st;
  size_t olen = strlen(s->path);
  if (strcmp(s->path, "-") != 0 &&
      (s->path[olen - 1] == '/' || (stat(s->path, &st) == 0 && S_ISDIR(st.st_mode))))
    s->dir = s->path;
  int status = choose_writer(&r, s);
  if (status != CX_EXIT_OK) return status;
  cx_buf_init(&s->mem, (size_t)1 << 30);

  status = build_options(&r);
  if (status != CX_EXIT_OK) {
    cx_options_free(r.opts);
    return status;
  }

  /* Expand the inputs before any output is opened. */
  struct inputs in = {0};
  int rc = CX_OK;
  bool bad_input = false;
  unsigned long walk_failed = 0;
  if (args->ninputs == 0) rc = inputs_add(&in, "-", false);
  for (size_t i = 0; i < args->ninputs && rc != CX_FATAL; i++) {
    const char *p = args->inputs[i];
    if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      rc = walk(&in, p);
      if (rc == CX_FAILED) {
        bad_input = true;
        walk_failed++;
        rc = CX_OK;
      }
    } else {
      rc = inputs_add(&in, p, false); /* a missing file is reported when it is opened */
    }
  }
  if (rc == CX_FATAL) {
    inputs_free(&in);
    cx_options_free(r.opts);
    return usage_error("%s", "out of memory");
  }

  if (check_output_not_input(s, &in) != CX_EXIT_OK) {
    inputs_free(&in);
    cx_options_free(r.opts);
    return CX_EXIT_USAGE;
  }
  /* The total size, for the ETA: known when every input is a plain file. */
  unsigned long long total = 0;
  for (size_t i = 0; i < in.n; i++) {
    if (strcmp(in.v[i].path, "-") == 0 || stat(in.v[i].path, &st) != 0 || !S_ISREG(st.st_mode)) {
      total = 0;
      break;
    }
    total += (unsigned long long)st.st_size;
  }
  bool show = args->progress > 0 || (args->progress < 0 && !args->quiet && isatty(STDERR_FILENO));
  cx_progress_init(&r.progress, stderr, show, total);
  r.progress.start = start;
  r.failed = walk_failed;

  if (args->errors_path) {
    struct cx_ctx ectx = {0};
    r.errlog = cx_errlog_open(args->errors_path, &ectx);
    if (!r.errlog) {
      char buf[CX_MSG_MAX + PATH_MAX + 64];
      cx_ctx_format(&ectx, ectx.msg, ectx.line, buf, sizeof buf);
      fprintf(stderr, "cablex: --errors: %s\n", buf);
      inputs_free(&in);
      cx_options_free(r.opts);
      return CX_EXIT_USAGE;
    }
  }

  if (s->dir) {
    if (make_dirs(s->dir) != 0) {
      fprintf(stderr, "cablex: %s: cannot create directory: %s\n", s->dir, strerror(errno));
      cx_errlog_abort(r.errlog);
      inputs_free(&in);
      cx_options_free(r.opts);
      return CX_EXIT_USAGE;
    }
  } else if (sink_open_stream(s, s->path) == CX_FATAL) {
    report_ctx(&r, &s->ctx);
    cx_errlog_abort(r.errlog);
    inputs_free(&in);
    cx_options_free(r.opts);
    return CX_EXIT_USAGE;
  }

  /* -j: 1 runs everything on this thread; more start the pool and the
   * writing thread (all plugins are loaded by now). */
  unsigned jobs = args->jobs ? args->jobs : cx_online_cores();
  if (jobs > 256) jobs = 256; /* more threads than that only cost memory */
  pthread_t writer;
  bool writer_started = false;
  if (jobs > 1) {
    r.pool = cx_pool_new(jobs, 4 * (size_t)jobs + 4, IN_FLIGHT_MAX, work_job, &r);
    if (r.pool && pthread_create(&writer, NULL, writer_main, &r) == 0) {
      writer_started = true;
    } else if (r.pool) {
      cx_pool_close(r.pool);
      cx_pool_free(r.pool);
      r.pool = NULL; /* go on with one thread */
    }
  }

  for (size_t i = 0; i < in.n && !reading_stopped(&r); i++) {
    rc = read_input(&r, &in.v[i], reader);
    if (rc == CX_FATAL && !reading_stopped(&r)) {
      /* out of memory while reading: stop, but write what was read */
      read_msg(&r, NULL, NULL, CX_FATAL, 0, true, CNT_FAILED, "out of memory: input not read on");
      break;
    }
  }
  if (!reading_stopped(&r)) flush_job(&r);
  job_free(r.job);
  r.job = NULL;
  if (r.pool) {
    cx_pool_close(r.pool);
    if (writer_started) pthread_join(writer, NULL);
    cx_pool_free(r.pool);
    r.pool = NULL;
  }

  bool output_lost = r.output_lost;
  if (!s->dir) {
    /* On a fatal error the temporary output is removed, never renamed. */
    if (sink_close_stream(s, output_lost) == CX_FATAL && !output_lost) {
      report_ctx(&r, &s->ctx);
      output_lost = true;
    }
  }
  if (r.errlog && cx_errlog_close(r.errlog) != CX_OK) {
    fprintf(stderr, "cablex: --errors %s: could not be written\n", args->errors_path);
    bad_input = true;
  } else if (r.errlog_failed) {
    bad_input = true;
  }
  cx_progress_update(&r.progress, r.converted, atomic_load(&r.bytes_read), true);
  cx_progress_clear(&r.progress);
  /* In directory mode the files of the cables before the failure stay. */
  const char *lost = !output_lost ? ""
                     : s->dir     ? " (output directory incomplete: stopped at that file)"
                                  : " (output not written)";
  const char *ff = r.stopped_fail_fast ? " (stopped at the first failure: --fail-fast)" : "";
  char filtered[48] = "";
  if (args->where || args->shard_n)
    snprintf(filtered, sizeof filtered, ", %lu filtered out", r.filtered);
  if (!r.quiet)
    fprintf(stderr, "cablex: %lu converted, %lu failed, %lu skipped%s in %.1f s%s%s\n", r.converted,
            r.failed, r.skipped, filtered, cx_now() - start, lost, ff);

  free(s->file);
  cx_buf_free(&s->mem);
  nameset_free(&s->names);
  inputs_free(&in);
  cx_options_free(r.opts);
  if (output_lost) return CX_EXIT_USAGE;
  return bad_input || r.failed ? CX_EXIT_FAILED : CX_EXIT_OK;
}

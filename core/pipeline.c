/* pipeline.c - one conversion run: expand the inputs, detect each one's
 * reader, hand every cable to the writer, and apply the error policy.
 *
 * The run is single-threaded for now, but reading (read_input) and writing
 * (the sink_* functions) only meet in sink_put(), one cable at a time: a
 * later version can put a bounded queue with worker threads between them,
 * keeping input order, without changing either side.  Plugins are all
 * loaded before cx_convert() is called (ltdl is not thread-safe).
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
#include <time.h>
#include <unistd.h>

#include "cablex/cable.h"
#include "cablex/stream.h"
#include "options_internal.h"
#include "pipeline.h"

#define PROBE_BYTES 4096
#define NAME_MAX_LEN 200 /* of a per-cable output file name, before the extension */

struct run {
  const struct cx_registry *reg;
  const struct cx_convert_args *args;
  struct cx_options *opts;
  bool quiet;
  unsigned long converted, failed, skipped;
  double start, last_progress;
  bool progress_shown;
  unsigned long long bytes_done; /* sizes of the inputs finished so far */
};

/* ---- messages ---- */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(struct run *r) {
  if (r->progress_shown) {
    fputs("\r\033[K", stderr);
    r->progress_shown = false;
  }
}

static void progress(struct run *r) {
  if (r->quiet || !isatty(STDERR_FILENO)) return;
  double t = now();
  if (t - r->start < 1.0 || t - r->last_progress < 0.25) return;
  r->last_progress = t;
  double secs = t - r->start;
  fprintf(stderr, "\r\033[Kcablex: %lu cables, %.1f MB/s", r->converted,
          (double)r->bytes_done / 1e6 / secs);
  r->progress_shown = true;
}

/* Prints ctx's message with its place: "cablex: file[(entry)]:line: msg". */
static void report(struct run *r, const struct cx_ctx *ctx, const char *kind, const char *msg,
                   unsigned long line) {
  char buf[CX_MSG_MAX + PATH_MAX + 64]; /* the place (a path) and the message */
  clear_progress(r);
  cx_ctx_format(ctx, msg && *msg ? msg : "failed (no message)", line, buf, sizeof buf);
  fprintf(stderr, "cablex: %s%s\n", kind, buf);
}

static void report_ctx(struct run *r, const struct cx_ctx *ctx) {
  report(r, ctx, "", ctx->msg, ctx->line);
}

/* ctx->report: warnings recorded with cx_warn() while a plugin works. */
static void on_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  struct run *r = user;
  (void)code;
  if (!r->quiet) report(r, ctx, "warning: ", msg, ctx->line);
}

static void init_ctx(struct run *r, struct cx_ctx *ctx, const char *file) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = file;
  ctx->report = on_warning;
  ctx->report_user = r;
}

/* A CX_WARN whose message was recorded with cx_error() rather than reported
 * with cx_warn() has not been shown yet. */
static void report_unshown_warning(struct run *r, const struct cx_ctx *ctx) {
  if (ctx->warnings == 0 && !r->quiet) report(r, ctx, "warning: ", ctx->msg, ctx->line);
}

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
static int walk(struct run *r, struct inputs *in, const char *dir) {
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
      rc = walk(r, in, path);
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

/* ---- the sink: where cables go ---- */

/* A set of the file names given out in directory mode, so that two cables
 * with the same id do not overwrite each other. */
struct nameset {
  char **slot;
  size_t cap, n;
};

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

struct sink {
  struct run *run;
  const struct cx_plugin *writer;
  const char *path; /* the -o file or "-" */
  const char *dir;  /* directory mode: one file per cable */
  const char *ext;  /* directory mode: the writer's first extension */
  struct cx_ostream *out;
  void *state;
  bool opened; /* writer_open succeeded: writer_close is owed */
  struct cx_ctx ctx;
  char *file; /* directory mode: the current cable's file */
  struct nameset names;
};

/* Checks a writer's return code: anything unknown counts as fatal. */
static int writer_code(struct sink *s, int rc, const char *what) {
  if (rc == CX_OK || rc == CX_WARN || rc == CX_FAILED || rc == CX_FATAL) return rc;
  return cx_error(&s->ctx, CX_FATAL, 0, "writer '%s' %s returned %d", s->writer->name, what, rc);
}

static int sink_open_stream(struct sink *s, const char *path) {
  init_ctx(s->run, &s->ctx, path);
  s->out = cx_ostream_open(path, &s->ctx);
  if (!s->out) return CX_FATAL;
  s->state = NULL;
  int rc = writer_code(s, s->writer->writer_open(s->out, s->run->opts, &s->ctx, &s->state), "open");
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
    rc = writer_code(s, s->writer->writer_close(s->state, &s->ctx), "close");
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

/* The file name for a cable in directory mode: id, canonical id or the
 * input's basename, reduced to [A-Za-z0-9._-], made unique in this run. */
static char *cable_file(struct sink *s, const struct cx_cable *c, const char *input) {
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

  size_t len = strlen(s->dir) + strlen(base) + strlen(s->ext) + 32;
  char *path = malloc(len);
  if (!path) return NULL;
  const char *sep = s->dir[strlen(s->dir) - 1] == '/' ? "" : "/";
  snprintf(path, len, "%s%s%s.%s", s->dir, sep, base, s->ext);
  for (unsigned long k = 2; nameset_has(&s->names, path); k++)
    snprintf(path, len, "%s%s%s-%lu.%s", s->dir, sep, base, k, s->ext);
  char *copy = strdup(path);
  if (!copy || nameset_put(&s->names, copy) != CX_OK) {
    free(path);
    return NULL;
  }
  return path;
}

/* Writes one cable.  Returns CX_OK, CX_WARN, CX_FAILED (this cable is lost,
 * reported) or CX_FATAL (the output is lost, reported). */
static int sink_put(struct sink *s, const struct cx_cable *c, const char *input) {
  int rc;
  if (s->dir) {
    free(s->file);
    s->file = cable_file(s, c, input);
    if (!s->file) {
      fprintf(stderr, "cablex: out of memory\n");
      return CX_FATAL;
    }
    rc = sink_open_stream(s, s->file);
    if (rc == CX_FATAL) {
      report_ctx(s->run, &s->ctx);
      return rc;
    }
  }
  cx_ctx_clear(&s->ctx);
  rc = writer_code(s, s->writer->writer_write(s->state, c, &s->ctx), "write");
  if (rc == CX_WARN) report_unshown_warning(s->run, &s->ctx);
  if (rc == CX_FAILED || rc == CX_FATAL) report_ctx(s->run, &s->ctx);
  if (s->dir) {
    int crc = sink_close_stream(s, rc == CX_FAILED || rc == CX_FATAL);
    if (crc == CX_FATAL && rc != CX_FAILED && rc != CX_FATAL) {
      report_ctx(s->run, &s->ctx);
      rc = CX_FATAL;
    }
  }
  return rc;
}

/* ---- reading ---- */

/* Reads every cable of one input and hands it to the sink.  Returns
 * CX_OK, CX_FAILED (the input or some cable failed; go on) or CX_FATAL (the
 * output is lost: stop the run). */
static int read_input(struct run *r, struct sink *s, const struct input *inp,
                      const struct cx_plugin *forced) {
  struct cx_ctx ctx;
  init_ctx(r, &ctx, inp->path);
  struct stat st;
  unsigned long long size = 0;
  if (strcmp(inp->path, "-") != 0 && stat(inp->path, &st) == 0 && S_ISREG(st.st_mode))
    size = (unsigned long long)st.st_size;

  struct cx_istream *in = cx_istream_open(inp->path, &ctx);
  if (!in) {
    report_ctx(r, &ctx);
    r->failed++;
    return CX_FAILED;
  }
  const struct cx_plugin *reader = forced;
  if (!reader) {
    char ext[64];
    extension_of(inp->path, ext, sizeof ext);
    if (ext[0]) reader = cx_registry_by_ext(r->reg, ext, CX_KIND_INPUT);
    if (!reader) reader = probe(r->reg, in, inp->path);
  }
  if (!reader) {
    cx_istream_close(in);
    clear_progress(r);
    if (inp->walked) {
      /* A stray file in a directory being converted is not an error. */
      if (!r->quiet)
        fprintf(stderr, "cablex: warning: %s: skipped: no input plugin recognises it\n", inp->path);
      r->skipped++;
      return CX_OK;
    }
    fprintf(stderr, "cablex: no input plugin recognises %s; use -f (see cablex plugins)\n",
            inp->path);
    r->failed++;
    return CX_FAILED;
  }

  void *state = NULL;
  int rc = reader->reader_open(in, r->opts, &ctx, &state);
  if (rc != CX_OK && rc != CX_WARN) {
    if (rc != CX_FATAL && rc != CX_FAILED)
      cx_error(&ctx, CX_FATAL, 0, "reader '%s' open returned %d", reader->name, rc);
    report_ctx(r, &ctx);
    cx_istream_close(in);
    r->failed++;
    return CX_FAILED;
  }
  if (rc == CX_WARN) report_unshown_warning(r, &ctx);

  int result = CX_OK;
  bool any = false; /* the reader gave a cable or an error */
  for (;;) {
    struct cx_cable *c = NULL;
    cx_ctx_clear(&ctx);
    rc = reader->reader_next(state, &ctx, &c);
    if (rc == CX_EOF) {
      cx_cable_free(c);
      break;
    }
    any = true;
    if ((rc == CX_OK || rc == CX_WARN) && !c)
      rc = cx_error(&ctx, CX_FAILED, ctx.line, "reader '%s' returned no cable", reader->name);
    if (rc == CX_FAILED) {
      cx_cable_free(c);
      report_ctx(r, &ctx);
      r->failed++;
      result = CX_FAILED;
      continue;
    }
    if (rc != CX_OK && rc != CX_WARN) {
      cx_cable_free(c);
      if (rc != CX_FATAL) cx_error(&ctx, CX_FATAL, 0, "reader '%s' returned %d", reader->name, rc);
      report_ctx(r, &ctx);
      r->failed++; /* the rest of this input is lost */
      result = CX_FAILED;
      break;
    }
    if (rc == CX_WARN) report_unshown_warning(r, &ctx);

    if (cx_set(&c->source.format, reader->name) != CX_OK ||
        cx_set(&c->source.path, inp->path) != CX_OK || cx_set(&c->source.entry, NULL) != CX_OK) {
      cx_cable_free(c);
      fprintf(stderr, "cablex: out of memory\n");
      result = CX_FATAL;
      break;
    }
    int wrc = sink_put(s, c, inp->path);
    cx_cable_free(c);
    if (wrc == CX_FATAL) {
      result = CX_FATAL;
      break;
    }
    if (wrc == CX_FAILED) {
      r->failed++;
      result = CX_FAILED;
    } else {
      r->converted++;
    }
    progress(r);
  }
  if (!any) {
    /* An empty input (or blanks only) converts to nothing: say so. */
    clear_progress(r);
    if (!r->quiet) fprintf(stderr, "cablex: warning: %s: skipped: no cable in it\n", inp->path);
    r->skipped++;
  }
  reader->reader_close(state);
  cx_istream_close(in);
  r->bytes_done += size;
  return result;
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

int cx_convert(const struct cx_registry *reg, const struct cx_convert_args *args) {
  struct run r = {0};
  r.reg = reg;
  r.args = args;
  r.quiet = args->quiet;
  r.start = now();

  if (cx_registry_loaded(reg) == 0)
    return usage_error("%s", "no plugin could be loaded (see cablex plugins)");

  const struct cx_plugin *reader = NULL;
  if (args->from) {
    reader = plugin_named(reg, args->from, CX_KIND_INPUT);
    if (!reader) return usage_error("no input plugin named '%s' (see cablex plugins)", args->from);
  }

  struct sink s = {0};
  s.run = &r;
  s.path = args->output && *args->output ? args->output : "-";
  struct stat st;
  size_t olen = strlen(s.path);
  if (strcmp(s.path, "-") != 0 &&
      (s.path[olen - 1] == '/' || (stat(s.path, &st) == 0 && S_ISDIR(st.st_mode))))
    s.dir = s.path;

  if (args->to) {
    s.writer = plugin_named(reg, args->to, CX_KIND_OUTPUT);
    if (!s.writer) return usage_error("no output plugin named '%s' (see cablex plugins)", args->to);
  } else if (s.dir || strcmp(s.path, "-") == 0) {
    return usage_error("%s", "no output format: give -t FMT (see cablex plugins)");
  } else {
    char ext[64];
    extension_of(s.path, ext, sizeof ext);
    if (ext[0]) s.writer = cx_registry_by_ext(reg, ext, CX_KIND_OUTPUT);
    if (!s.writer)
      return usage_error("no output plugin for '%s': give -t FMT (see cablex plugins)", s.path);
  }
  s.ext =
      s.writer->extensions && s.writer->extensions[0] ? s.writer->extensions[0] : s.writer->name;

  int status = build_options(&r);
  if (status != CX_EXIT_OK) {
    cx_options_free(r.opts);
    return status;
  }

  /* Expand the inputs before any output is opened. */
  struct inputs in = {0};
  int rc = CX_OK;
  bool bad_input = false;
  if (args->ninputs == 0) rc = inputs_add(&in, "-", false);
  for (size_t i = 0; i < args->ninputs && rc != CX_FATAL; i++) {
    const char *p = args->inputs[i];
    if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      rc = walk(&r, &in, p);
      if (rc == CX_FAILED) {
        bad_input = true;
        r.failed++;
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

  if (check_output_not_input(&s, &in) != CX_EXIT_OK) {
    inputs_free(&in);
    cx_options_free(r.opts);
    return CX_EXIT_USAGE;
  }
  if (s.dir) {
    if (make_dirs(s.dir) != 0) {
      fprintf(stderr, "cablex: %s: cannot create directory: %s\n", s.dir, strerror(errno));
      inputs_free(&in);
      cx_options_free(r.opts);
      return CX_EXIT_USAGE;
    }
  } else if (sink_open_stream(&s, s.path) == CX_FATAL) {
    report_ctx(&r, &s.ctx);
    inputs_free(&in);
    cx_options_free(r.opts);
    return CX_EXIT_USAGE;
  }

  bool output_lost = false;
  for (size_t i = 0; i < in.n; i++) {
    rc = read_input(&r, &s, &in.v[i], reader);
    if (rc == CX_FAILED) bad_input = true;
    if (rc == CX_FATAL) {
      output_lost = true;
      break;
    }
  }

  if (!s.dir) {
    /* On a fatal error the temporary output is removed, never renamed. */
    if (sink_close_stream(&s, output_lost) == CX_FATAL && !output_lost) {
      report_ctx(&r, &s.ctx);
      output_lost = true;
    }
  }
  clear_progress(&r);
  /* In directory mode the files of the cables before the failure stay. */
  const char *lost = !output_lost ? ""
                     : s.dir      ? " (output directory incomplete: stopped at that file)"
                                  : " (output not written)";
  if (!r.quiet)
    fprintf(stderr, "cablex: %lu converted, %lu failed, %lu skipped in %.1f s%s\n", r.converted,
            r.failed, r.skipped, now() - r.start, lost);

  free(s.file);
  nameset_free(&s.names);
  inputs_free(&in);
  cx_options_free(r.opts);
  if (output_lost) return CX_EXIT_USAGE;
  return bad_input || r.failed ? CX_EXIT_FAILED : CX_EXIT_OK;
}

/* run_internal.h - what the files of a run share (internal to core/run/).
 * A run expands the inputs, detects each one's reader, hands every cable
 * to the writer, and applies the error policy.
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
 * are the same at any -j.  Plugins are all loaded before cxr_run() is
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
 *
 * Where each step lives: inputs.c (the list of inputs, directory walks),
 * read.c (reading an input: detection, whole units, the reader loop),
 * bundle.c (bundles and the splitting of large inputs), jobs.c (jobs and
 * the work done on them), sink.c (the three output modes), naming.c
 * (output file and entry names), checks.c (options and output checks),
 * report.c (messages and the summary), run.c (cxr_run itself).  Beside
 * the run: filter.c (--filter processes, called by jobs.c for each job's
 * selected cables), stats.c and stats_out.c (`cablex stats`), check.c
 * (`cablex check`); the last two get the cables through cxr_run_args.each.
 *
 * Ownership: a struct run lives on cxr_run()'s stack and owns its jobs,
 * sink, options and error log; events own their strings and cables.
 */
#ifndef CXR_RUN_INTERNAL_H
#define CXR_RUN_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cablex/cable.h"
#include "cablex/options.h"
#include "cablex/plugin.h"
#include "cablex/stream.h"
#include "errlog.h"
#include "filter.h"
#include "progress.h"
#include "run.h"
#include "select.h"
#include "workers.h"

#define UNIT_MAX ((size_t)8 << 20)      /* inputs up to this size are parsed on a worker */
#define JOB_BYTES ((size_t)128 << 10)   /* a job is handed on once it holds this much */
#define JOB_EVENTS 512                  /* ... or this many units, cables and messages */
#define IN_FLIGHT_MAX ((size_t)4 << 20) /* bytes of jobs between reading and writing */
#define BUNDLE_DEPTH_MAX 8              /* bundles inside bundles */
#define READ_CHUNK ((size_t)64 << 10)
/* Parts of a large input that the reader can split: small enough that a
 * part and its records stay in a core's cache (with 1 MiB parts a csv ran
 * a fifth slower at -j1). */
#define SPLIT_CHUNK ((size_t)256 << 10)

enum sink_mode { SINK_STREAM, SINK_DIR, SINK_BUNDLE };

/* A set of names given out (files in directory mode, entries in a bundle),
 * so that two cables with the same id do not overwrite each other. */
/* The names given in a run (open addressing): each with the next -K to
 * try for a name made from it, so that N cables of one stem cost O(N). */
struct name_slot {
  char *name;
  unsigned long next; /* 0: -2 */
};
struct nameset {
  struct name_slot *slot;
  size_t cap, n;
  unsigned long long probes; /* slots looked at, all told (for the tests) */
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
  /* the cable being written and where it was read, named in the writer's
   * messages (NULL between cables) */
  const struct cx_cable *cur_cable;
  const char *cur_file, *cur_entry;
  struct nameset names;
  struct cx_buf mem; /* a bundle entry encoded without writer_encode */
};

/* Warnings by kind (warnings.c). */
struct warn_kind;
struct warn_kinds {
  struct warn_kind *v;
  size_t cap, n;
  unsigned long total;
};

struct run {
  struct cxh_registry *reg;
  const struct cxr_run_args *args;
  struct cx_options *opts;
  bool quiet;
  struct sink sink;
  /* reading (the calling thread) */
  struct job *job;            /* the job being filled */
  struct job *spare;          /* -j 1: the job last written, its buffers kept for the next */
  struct cxr_pool *pool;      /* NULL with -j 1 */
  bool small_run;             /* inputs too small for threads: -j 1 unless -j was given */
  bool reading_stopped;       /* the writing side gave up (fail-fast, output lost) */
  unsigned long long base;    /* sizes of the inputs finished so far */
  struct cx_istream *current; /* the input being read, for the progress */
  _Atomic unsigned long long bytes_read;
  /* writing (one thread) */
  unsigned long converted, failed, skipped, filtered;
  bool stop, output_lost, stopped_fail_fast;
  struct cxr_progress progress;
  struct cxr_errlog *errlog;
  bool errlog_failed;
  struct warn_kinds kinds;     /* the warnings said so far, by kind */
  struct cxr_filters *filters; /* --filter (filter.h), or NULL */
};

/* ---- jobs: what travels from reading to writing ---- */

enum ev_type {
  EV_PARSE,  /* a unit to parse: in[off, off + len) with reader */
  EV_MSG,    /* a message, counted as count says */
  EV_CABLE,  /* a cable, parsed (and, once worked on, not encoded) */
  EV_RECORD, /* an encoded cable: rec[off, off + len) */
  EV_NONE    /* nothing (a cable a --filter dropped) */
};
/* CNT_STOP: a failure that stops the run (a --filter that broke). */
enum ev_count { CNT_NONE, CNT_FAILED, CNT_SKIPPED, CNT_STOP };

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
  bool filtering; /* selected, waiting for the --filter batch of its job */
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

/* Reading puts its findings in the job being filled (r->job); working
 * puts them in the output list of the job it works on. */
struct target {
  struct run *r;
  struct job *job;     /* working: this job; NULL: reading */
  unsigned long line0; /* lines of the input before this part of it */
  bool part;           /* a part of a split input: no "no cable in it" */
  /* encoding on a worker: the cable, named in the writer's messages */
  const struct cx_cable *cable;
  const char *cable_file, *cable_entry;
};

/* ---- inputs.c ---- */

struct input {
  char *path;
  bool walked;      /* found in a directory, not named on the command line */
  const char *skip; /* not read, and why (a link, a FIFO, a device), or NULL */
};

struct inputs {
  struct input *v;
  size_t n, cap;
};

/* The inputs of args, directories walked.  *walk_failed counts the
 * directories that could not be read (reported).  Returns CX_OK or
 * CX_FATAL. */
int cxr_inputs_expand(const struct cxr_run_args *args, struct inputs *in,
                      unsigned long *walk_failed);
void cxr_inputs_free(struct inputs *in);
/* Their total size, for the ETA; 0 unless every input is a plain file. */
unsigned long long cxr_inputs_total(const struct inputs *in);

/* ---- jobs.c ---- */

struct job *cxr_job_new(void);
/* -j 2 and more, on the writing thread: j, written, is emptied and held by
 * the pool for cxr_job_take() (a csv part's records fill 4 MiB: freed on
 * one thread and grown on another, every job's buffers were mapped and
 * faulted in anew), or freed when the pool holds enough. */
void cxr_job_done(struct run *r, struct job *j);
/* The job to fill next: the spare one when there is one, else a new one. */
struct job *cxr_job_take(struct run *r);
void cxr_job_free(struct job *j);
struct event *cxr_evlist_push(struct evlist *l);
/* Adds a unit to parse to the job being filled: u's file, reader, place
 * in job->in (off, len), line0 and part; entry is copied.  Returns CX_OK
 * or CX_FATAL. */
int cxr_put_unit(struct run *r, const struct event *u, const char *entry);
int cxr_put_msg(struct evlist *l, const char *file, const char *entry, int code, unsigned long line,
                bool plain, enum ev_count count, const char *msg);
int cxr_target_msg(struct target *t, const struct cx_ctx *ctx, int code, unsigned long line,
                   enum ev_count count, const char *msg);
int cxr_target_cable(struct target *t, const char *file, const char *entry,
                     const struct cx_plugin *reader, struct cx_cable *c);
void cxr_init_ctx(struct cx_ctx *ctx, const char *file, const char *entry, struct target *t);
int cxr_unshown_warning(struct target *t, const struct cx_ctx *ctx);
size_t cxr_work_job(void *job, void *user);
int cxr_maybe_flush(struct run *r);
int cxr_flush_job(struct run *r);
int cxr_read_msg(struct run *r, const char *file, const char *entry, int code, unsigned long line,
                 bool plain, enum ev_count count, const char *msg);
void cxr_note_progress(struct run *r);

/* ---- read.c, bundle.c ---- */

bool cxr_reading_stopped(struct run *r);
int cxr_read_cables(struct target *t, struct cx_ctx *ctx, struct cx_istream *in,
                    const struct cx_plugin *reader);
int cxr_read_source(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                    const char *entry, const char *name, const struct cx_plugin *forced,
                    bool walked, int depth, unsigned long long size);
int cxr_read_input(struct run *r, const struct input *inp, const struct cx_plugin *forced);
int cxr_read_bundle(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                    const char *entry, const struct cx_plugin *p, int depth);
int cxr_read_large(struct run *r, struct cx_istream *in, struct cx_ctx *ctx, const char *file,
                   const char *entry, const struct cx_plugin *reader, struct cx_buf *rest,
                   bool split);

/* ---- naming.c ---- */

char *cxr_cable_stem(const struct sink *s, const struct cx_cable *c, const char *input);
void cxr_nameset_free(struct nameset *s);
/* FNV-1a of a string, for the run's hash sets. */
uint64_t cxr_hash_str(const char *s);
/* stem + [-K] + "." + ext, unique in this run (prefix: the directory);
 * the caller owns it.  NULL when out of memory. */
char *cxr_unique_name(struct sink *s, const char *prefix, const char *stem);

/* ---- sink.c ---- */

int cxr_sink_open_stream(struct sink *s, const char *path);
int cxr_sink_close_stream(struct sink *s, bool abort);
void cxr_write_job(struct run *r, struct job *j);
void *cxr_writer_main(void *arg);

/* ---- report.c ---- */

void cxr_print_line(struct run *r, bool warning, const struct cx_ctx *where, const char *msg,
                    unsigned long line, int code, bool plain);
void cxr_report_ctx(struct run *r, const struct cx_ctx *ctx);
void cxr_report_unshown_warning(struct run *r, const struct cx_ctx *ctx);
void cxr_init_sink_ctx(struct run *r, struct cx_ctx *ctx, const char *file);
void cxr_print_summary(const struct run *r, bool output_lost, double start);

/* msg, then " (cable ID, read from FILE(ENTRY))" into buf: what a writer's
 * message says of the cable it was writing.  Returns buf. */
const char *cxr_name_cable(const char *msg, const struct cx_cable *c, const char *file,
                           const char *entry, char *buf, size_t size);

/* ---- warnings.c ---- */

/* Counts warning msg by kind; true while it is one of the first few of its
 * kind (show it), false once they were shown (count it only). */
bool cxr_warning_shown(struct run *r, const char *msg);
/* Says how many more of each kind were not shown, and puts the count of
 * warnings (by kind, for those) into summary for the summary line. */
void cxr_warnings_said(const struct run *r, char *summary, size_t size);
void cxr_warnings_free(struct warn_kinds *w);

/* ---- checks.c ---- */

int cxr_make_dirs(const char *dir);
int cxr_build_options(struct run *r);
int cxr_check_output_not_input(const struct sink *s, const struct inputs *in);
/* Refuses an --errors log that is an input or the -o file (compared by
 * device and inode, or by resolved name when not created yet).  CX_OK or
 * CX_FAILED (reported). */
int cxr_check_errors_path(const struct sink *s, const struct inputs *in, const char *errors);

#endif

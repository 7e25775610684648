/* run.h - one conversion run: inputs -> reader -> cables -> writer (the
 * run engine's entry point; internal, not installed).  The command line
 * resolves the formats (host/formats.h) and hands them in.
 *
 * Ownership: cxr_run() only borrows the registry and the arguments; every
 * stream, reader, writer and cable it opens is closed or freed before it
 * returns.
 */
#ifndef CXR_RUN_H
#define CXR_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "formats.h"
#include "registry.h"

struct cxr_select; /* select.h: --where expressions */

#ifdef __cplusplus
extern "C" {
#endif

/* How a run ended (the command line turns it into an exit status). */
enum cxr_outcome {
  CXR_DONE,        /* everything converted (warnings allowed) */
  CXR_SOME_FAILED, /* some cable or input failed; the rest converted */
  CXR_NOT_STARTED, /* bad options, inputs or output: nothing was converted */
  CXR_OUTPUT_LOST  /* the output could not be written */
};

struct cxr_run_args {
  const struct cx_plugin *reader;  /* -f's reader, or NULL to detect each input */
  const struct cxh_output *output; /* the writer(s) and -o, from cxh_choose_output() */
  const char *const *options;      /* -O values, "NAME" or "NAME=VALUE" */
  size_t noptions;
  size_t max_cable_size;     /* 0: CX_DEFAULT_CABLE_MAX; passed as option max-cable-size */
  bool quiet;                /* no warnings, progress or summary; errors still shown */
  const char *const *inputs; /* files, directories, "-"; none = stdin */
  size_t ninputs;
  unsigned jobs;                  /* -j N; 0 = number of online cores */
  const struct cxr_select *where; /* --where (borrowed); NULL = every cable */
  unsigned shard_k, shard_n;      /* --shard K/N; shard_n == 0: no sharding */
  const char *errors_path;        /* --errors FILE (JSON Lines of the failures) or NULL */
  /* --include / --exclude GLOB: which files found in a directory, and which
   * entries of a bundle, are read (cxr_name_selected()) */
  const char **includes, **excludes;
  size_t nincludes, nexcludes;
  bool follow_symlinks;       /* --follow-symlinks: a directory's links are followed */
  bool fail_fast;             /* --fail-fast: stop at the first failed cable */
  int progress;               /* -1 auto (stderr a terminal, not quiet), 0 off, 1 on */
  const char *const *filters; /* --filter commands, in order (filter.h) */
  size_t nfilters;
  unsigned filter_timeout_ms; /* --filter-timeout; 0: the default */
  /* stats and check: instead of a writer (output unused), each cable that
   * passes --where, --shard and --filter goes to each(each_user, cable) on
   * the writing side, in input order.  CX_OK, or CX_FATAL (reported by
   * each) to stop the run with the output lost. */
  int (*each)(void *user, const struct cx_cable *c);
  void *each_user;
};

/* Whether a file found in a directory or a bundle entry called path is
 * read: it matches an --include GLOB (when there is one) and no --exclude.
 * A GLOB without '/' matches the last part of the path; one with '/'
 * matches the whole path or any tail of it that starts after a '/'.
 * is_bundle: a bundle is opened whatever --include says (its entries are
 * chosen), only --exclude leaves it out; a directory likewise. */
bool cxr_name_selected(const struct cxr_run_args *a, const char *path, bool is_bundle);

/* Converts every input to the output.  Messages go to stderr, prefixed
 * "cablex: ".  The plugins of args must stay loaded until it returns. */
enum cxr_outcome cxr_run(struct cxh_registry *reg, const struct cxr_run_args *args);

/* Prints "cablex: " and the message on stderr, then hint on a line of its
 * own when it is not NULL: the one way a usage error is said. */
void cxr_usage_error(const char *hint, const char *fmt, ...) CX_PRINTF(2, 3);
/* Prints "cablex: MESSAGE\n" on stderr, the message escaped as by
 * cx_escape() (cablex/error.h): every message goes out through here or cxr_usage_error(),
 * since file names, ids, dates and keys in it come from untrusted input. */
void cxr_say(const char *fmt, ...) CX_PRINTF(1, 2);

#ifdef __cplusplus
}
#endif
#endif

/* pipeline.h - one conversion run: inputs -> reader -> cables -> writer
 * (internal, not installed).
 *
 * Ownership: cx_convert() only borrows the registry and the arguments; every
 * stream, reader, writer and cable it opens is closed or freed before it
 * returns.
 */
#ifndef CX_PIPELINE_H
#define CX_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "registry.h"

struct cx_select; /* core/select.h: --where expressions */

#ifdef __cplusplus
extern "C" {
#endif

/* Exit statuses of a run (and of the CLI). */
enum {
  CX_EXIT_OK = 0,     /* everything converted (warnings allowed) */
  CX_EXIT_FAILED = 1, /* some cable or input failed; the rest converted */
  CX_EXIT_USAGE = 2   /* usage error, no plugin, or the output could not be written */
};

struct cx_convert_args {
  const char *from;           /* -f: the reader by name, or NULL to detect */
  const char *to;             /* -t: the writer by name, or NULL: from -o's extension */
  const char *output;         /* -o: a file, a directory, "-" or NULL (stdout) */
  const char *const *options; /* -O values, "NAME" or "NAME=VALUE" */
  size_t noptions;
  size_t max_cable_size;     /* 0: CX_DEFAULT_CABLE_MAX; passed as option max-cable-size */
  bool quiet;                /* no warnings, progress or summary; errors still shown */
  const char *const *inputs; /* files, directories, "-"; none = stdin */
  size_t ninputs;
  unsigned jobs;                 /* -j N; 0 = number of online cores */
  const struct cx_select *where; /* --where (borrowed); NULL = every cable */
  unsigned shard_k, shard_n;     /* --shard K/N; shard_n == 0: no sharding */
  const char *errors_path;       /* --errors FILE (JSON Lines of the failures) or NULL */
  bool fail_fast;                /* --fail-fast: stop at the first failed cable */
  int progress;                  /* -1 auto (stderr a terminal, not quiet), 0 off, 1 on */
};

/* Converts every input to the output.  Messages go to stderr, prefixed
 * "cablex: ".  Returns CX_EXIT_OK, CX_EXIT_FAILED or CX_EXIT_USAGE.  The
 * registry must be loaded. */
CX_API int cx_convert(const struct cx_registry *reg, const struct cx_convert_args *args);

#ifdef __cplusplus
}
#endif
#endif

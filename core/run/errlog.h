/* errlog.h - the --errors FILE report: one JSON object per line,
 * {"file","entry","line","severity","code","message"} (internal).
 *
 * Ownership: a struct cxr_errlog owns its output stream; cxr_errlog_close()
 * commits it and frees the log.  It is used from one thread only (the
 * run's writing thread).
 */
#ifndef CX_ERRLOG_H
#define CX_ERRLOG_H

#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxr_errlog;

/* Opens path for writing (temp + rename like every output; "-" = stdout).
 * Returns NULL with the reason on ctx. */
struct cxr_errlog *cxr_errlog_open(const char *path, struct cx_ctx *ctx);
/* Appends one report: place from where (file, entry, line; where may be
 * NULL), severity from code ("warning", "error", "fatal"), message as given
 * (NULL: where->msg).  Returns CX_OK or the write error. */
int cxr_errlog_put(struct cxr_errlog *log, const struct cx_ctx *where, int code,
                   const char *message);
/* The number of reports put so far. */
unsigned long cxr_errlog_count(const struct cxr_errlog *log);
/* Commits the file (temp + rename) and frees log.  Returns CX_OK or the
 * error; a NULL log is CX_OK. */
int cxr_errlog_close(struct cxr_errlog *log);
/* Throws the file away (nothing is left at path) and frees log. */
void cxr_errlog_abort(struct cxr_errlog *log);

#ifdef __cplusplus
}
#endif
#endif

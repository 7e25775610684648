/* errlog.h - the --errors FILE report: one JSON object per line,
 * {"file","entry","line","severity","code","message"} (internal).
 *
 * Ownership: a struct cx_errlog owns its output stream; cx_errlog_close()
 * commits it and frees the log.  It is used from one thread only (the
 * pipeline's ordering/writing thread).
 */
#ifndef CX_ERRLOG_H
#define CX_ERRLOG_H

#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cx_errlog;

/* Opens path for writing (temp + rename like every output; "-" = stdout).
 * Returns NULL with the reason on ctx. */
CX_API struct cx_errlog *cx_errlog_open(const char *path, struct cx_ctx *ctx);
/* Appends one report: place from where (file, entry, line; where may be
 * NULL), severity from code ("warning", "error", "fatal"), message as given
 * (NULL: where->msg).  Returns CX_OK or the write error. */
CX_API int cx_errlog_put(struct cx_errlog *log, const struct cx_ctx *where, int code,
                         const char *message);
/* The number of reports put so far. */
CX_API unsigned long cx_errlog_count(const struct cx_errlog *log);
/* Commits the file (temp + rename) and frees log.  Returns CX_OK or the
 * error; a NULL log is CX_OK. */
CX_API int cx_errlog_close(struct cx_errlog *log);
/* Throws the file away (nothing is left at path) and frees log. */
CX_API void cx_errlog_abort(struct cx_errlog *log);

#ifdef __cplusplus
}
#endif
#endif

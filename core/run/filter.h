/* filter.h - `--filter CMD`: each cable, as one line of JSON, through
 * long-lived processes that answer one line per cable: the cable (changed
 * or not) or `null` to drop it.  Every --filter runs in the order given;
 * each worker has its own set of processes (started up front, one slot per
 * worker), so the order of the cables is the run's.
 *
 * Ownership: a struct cxr_filters owns its processes and pipes (the
 * processes are ended by cxr_filters_free, and die with cablex); it borrows
 * the command strings, the json plugin and the options for its lifetime.
 */
#ifndef CXR_FILTER_H
#define CXR_FILTER_H

#include <stddef.h>

#include "cablex/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxr_filters;

/* Starts slots x n processes (`/bin/sh -c CMD`).  json is the plugin that
 * encodes and reads the lines (writer_encode and a reader); timeout_ms
 * bounds the wait for each answer.  NULL with the reason in err. */
struct cxr_filters *cxr_filters_new(const char *const *cmds, size_t n, unsigned slots,
                                    unsigned timeout_ms, const struct cx_plugin *json,
                                    const struct cx_options *opts, char *err, size_t errlen);
/* Sends v[0, n) through every filter in order (from any thread; a free
 * slot is taken), all of them written before the answers are waited for.
 * CX_OK: each v[k] is its answer (the old cable freed), or NULL when a
 * filter dropped it.  CX_FAILED: the message on ctx names the filter and
 * the cable v[*bad] (the cables before it are answered, the others as they
 * were), and every later call fails too: a broken filter gets no more. */
int cxr_filters_apply(struct cxr_filters *f, struct cx_cable **v, size_t n, struct cx_ctx *ctx,
                      size_t *bad);
/* Closes the filters' input, waits for them (killed after the timeout) and
 * frees everything.  NULL is fine. */
void cxr_filters_free(struct cxr_filters *f);

#ifdef __cplusplus
}
#endif
#endif

/* select.h - choosing cables while converting: --where expressions and
 * --shard K/N (internal, not installed).
 *
 * Ownership: a struct cxr_select owns copies of everything it parsed and is
 * freed with cxr_select_free(); matching only borrows the cable.
 */
#ifndef CX_SELECT_H
#define CX_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cablex/cable.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxr_select; /* one or more --where expressions, ANDed */

/* Parses one --where expression and adds it to *sel (created when NULL).
 * Returns CX_OK, or CX_FAILED with a message naming the problem (and its
 * 1-based column in expr) in err; *sel is then unchanged. */
int cxr_select_add(struct cxr_select **sel, const char *expr, char *err, size_t errlen);
/* The same, also giving the 1-based column of the problem in *col (0 when
 * it is not at a place), for a caret under the expression. */
int cxr_select_add_col(struct cxr_select **sel, const char *expr, char *err, size_t errlen,
                       size_t *col);
/* True when c satisfies every expression added; a NULL sel matches all. */
bool cxr_select_match(const struct cxr_select *sel, const struct cx_cable *c);
void cxr_select_free(struct cxr_select *sel); /* NULL is fine */

/* "K/N", 1 <= K <= N: CX_OK or CX_FAILED with the reason in err. */
int cxr_shard_parse(const char *s, unsigned *k, unsigned *n, char *err, size_t errlen);
/* Stable: the same id always lands in the same shard, on every host and
 * version.  Shard = FNV-1a 64 of the canonical id (of id when canonical_id is
 * NULL) mod N, plus 1.  Cables with neither id go to shard 1. */
bool cxr_shard_match(unsigned k, unsigned n, const struct cx_cable *c);
/* The 1-based shard of c among n (n >= 1). */
unsigned cxr_shard_of(unsigned n, const struct cx_cable *c);
/* FNV-1a 64 over the bytes of s (offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3). */
uint64_t cxr_fnv1a64(const char *s);

#ifdef __cplusplus
}
#endif
#endif

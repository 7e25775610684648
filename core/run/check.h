/* check.h - `cablex check`: a lint for cables.  Each cable is checked on
 * its own (id against the DE line's serial and the DTG's year, created
 * against the DTG, classification against the banner and the paragraph
 * markings, references to itself, missing subject or TAGS) and against the
 * cables before it (duplicate ids).  Each finding has a code, the cable,
 * its file and the line of the telegram it is about.
 *
 * Ownership: a struct cxr_check owns the ids it has seen; it borrows the
 * FILE it prints to, and only reads the cables it is given.
 */
#ifndef CXR_CHECK_H
#define CXR_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "cablex/cable.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxr_check;

/* json: one JSON object per finding per line, else one line of text. */
struct cxr_check *cxr_check_new(FILE *out, bool json);
void cxr_check_free(struct cxr_check *k);
/* Checks one cable and prints its findings.  CX_OK or CX_FATAL (out of
 * memory or out could not be written). */
int cxr_check_add(struct cxr_check *k, const struct cx_cable *c);
/* The number of findings so far. */
unsigned long cxr_check_findings(const struct cxr_check *k);

#ifdef __cplusplus
}
#endif
#endif

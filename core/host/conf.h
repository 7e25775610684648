/* conf.h - plugins.d/NAME.conf: reading one, and the lines a descriptor
 * gives it (internal, not installed).
 *
 * A conf holds `key = value` lines; blank lines and lines whose first
 * non-blank character is '#' are ignored.  Two kinds of keys:
 *   what only the conf can say (written by hand in plugins.d/):
 *     module      = ../plugins/raw    relative to the conf's directory, no
 *                                     extension (".so" is added) (required)
 *     enabled     = true              false: listed as "disabled", not loaded
 *     mime        = text/plain
 *   what the descriptor says (generated at build time from the module by
 *   cablex-plugin-conf, a cache like GStreamer's registry, so that the host
 *   can choose a plugin without opening it):
 *     name        = raw               what -f / -t take (required)
 *     abi         = 1.2               the ABI the module was built for
 *     kinds       = input,output      input, output, container
 *     extensions  = txt,raw           comma-separated, without dots
 *     options     = pretty,max-cable-size=BYTES   NAME, or NAME=ARG when it takes a value
 *     probe       = true              the reader can recognise its format by content
 *     description = Raw cable text
 * A conf without a kinds line does not describe its plugin: the host opens
 * the module to learn it.
 *
 * Ownership: a struct cxh_conf owns its strings (cxh_conf_clear frees them).
 */
#ifndef CXH_CONF_H
#define CXH_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "cablex/error.h"
#include "cablex/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxh_conf {
  char *name, *module, *abi, *kinds, *extensions, *options, *probe, *mime, *description;
  bool enabled;
};

/* Reads path into c (enabled defaults to true).  Unknown keys are warned
 * about through report.  partial: a hand-written conf, which may leave out
 * name.  Returns CX_OK, CX_FAILED with *why set (the conf is unusable; the
 * caller frees *why), or CX_FATAL when out of memory. */
int cxh_conf_read(const char *path, struct cxh_conf *c, char **why, bool partial,
                  cx_report_fn report, void *report_user);

char *cxh_xprintf(const char *fmt, ...) CX_PRINTF(1, 2);
/* a, b and c joined in a new string (the caller frees it), NULL when out of
 * memory: the paths a registry scan builds by the dozen, without a format. */
char *cxh_join(const char *a, const char *b, const char *c);
void cxh_conf_clear(struct cxh_conf *c);

/* The lines p's descriptor gives a conf (name, abi, kinds, extensions,
 * options, probe, description) into c, whose other members are left
 * alone.  Returns CX_OK or CX_FATAL. */
int cxh_conf_describe(struct cxh_conf *c, const struct cx_plugin *p);

/* Writes c as a conf, the descriptor's lines after the hand-written ones.
 * Returns CX_OK or CX_FAILED (a write error). */
int cxh_conf_write(FILE *f, const struct cxh_conf *c, const char *header);

/* The keys on which conf, as written, disagrees with desc (what a
 * descriptor gave, cxh_conf_describe), "kinds, extensions"; "" when they
 * agree.  Keys the conf leaves out agree.  name and abi are the caller's.
 * The caller frees it; NULL when out of memory. */
char *cxh_conf_disagreement(const struct cxh_conf *conf, const struct cxh_conf *desc);

/* Whether the comma-separated list holds item (its first len bytes; exact:
 * case matters), and whether "=..." follows it (*has_arg; may be NULL). */
bool cxh_list_has(const char *list, const char *item, size_t len, bool exact, bool *has_arg);

/* The kind bits a "kinds" value names (unknown words are ignored). */
unsigned cxh_kinds_of(const char *text);

#ifdef __cplusplus
}
#endif
#endif

/* formats.h - format resolution, written once: which plugin -f, -t and -o
 * name, and which reader an input gets (its extension, then probe).  The
 * command line and the run both ask here (internal, not installed).
 *
 * Ownership: every plugin and string handed out is borrowed from the
 * registry and stays valid until cxh_registry_free().
 */
#ifndef CXH_FORMATS_H
#define CXH_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a run writes with, from -t and -o. */
struct cxh_output {
  const char *path;               /* the -o file, a directory, or "-" */
  bool dir;                       /* -o is a directory: one file per cable */
  const struct cx_plugin *writer; /* the stream or per-file writer; a bundle's inner writer */
  const struct cx_plugin *bundle; /* the bundle writer (-t tar.gz:raw, -o x.tar.gz), or NULL */
  const char *format;             /* the bundle's kind, one of its extensions: "tar.gz" */
  const char *ext;                /* the writer's first extension (names per-cable files) */
};

/* -f / -t take a plugin name or one of its extensions ("jsonl" names json). */
const struct cx_plugin *cxh_plugin_named(struct cxh_registry *reg, const char *fmt, unsigned kinds);

/* The reader -f names into *reader (NULL without -f: detect each input).
 * Returns CX_OK, or CX_FAILED with the message in err. */
int cxh_choose_input(struct cxh_registry *reg, const char *from, const struct cx_plugin **reader,
                     char *err, size_t errlen);

/* The writer(s) from -t and -o (output NULL or "" is stdout).  Returns
 * CX_OK, or CX_FAILED with the message in err. */
int cxh_choose_output(struct cxh_registry *reg, const char *to, const char *output,
                      struct cxh_output *out, char *err, size_t errlen);

/* The extension of path that picks a plugin: the last one after the
 * basename's first character, a trailing ".gz" ignored.  Writes "" when
 * there is none. */
void cxh_extension_of(const char *path, char *ext, size_t size);

/* The reader of an input called name: by its extension, else the input
 * plugin whose probe() scores the first bytes of in highest; NULL when
 * none claims it. */
const struct cx_plugin *cxh_detect(struct cxh_registry *reg, const char *name,
                                   struct cx_istream *in);

/* What a descriptor offers beyond ABI 1.0 (checked with CX_PLUGIN_HAS). */
bool cxh_is_bundle_reader(const struct cx_plugin *p);
bool cxh_is_bundle_writer(const struct cx_plugin *p);
bool cxh_has_encode(const struct cx_plugin *p); /* writer_encode and writer_put */
bool cxh_has_split(const struct cx_plugin *p);  /* record_split */

#ifdef __cplusplus
}
#endif
#endif

/* archive_plugin.h - the archive plugin's parts (internal, not installed):
 * the bundle reader (archive_reader.c: every format and filter libarchive
 * knows, with decompression-bomb caps), the bundle writer (archive_writer.c:
 * reproducible tar, tar.gz and zip) and the descriptor with its probe
 * (archive_plugin.c).  formats/archive.md is the specification.  The unit
 * tests compile these sources directly.
 *
 * Ownership: as in cablex/plugin.h.  Reader and writer state is created by
 * open and freed by close, whatever happened in between; the entry name and
 * entry stream handed out by next belong to the reader until the next call
 * to next or close.
 */
#ifndef ARCP_PLUGIN_H
#define ARCP_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cablex/plugin.h"

/* Defaults of the options max-entry-size and max-total-size: bytes of one
 * entry and of the whole bundle after decompression. */
#define ARCP_DEFAULT_MAX_ENTRY ((uint64_t)1 << 30)  /* 1 GiB; a real cable is < 100 KB */
#define ARCP_DEFAULT_MAX_TOTAL ((uint64_t)64 << 30) /* 64 GiB; the corpus is ~2.5 GB */

int arcp_probe(const unsigned char *head, size_t len, const char *name);

/* Bundle reader and writer (ABI 1.1).  The writer's format: "tar",
 * "tar.gz"/"tgz", "tar.bz2"/"tbz2", "tar.xz"/"txz", "tar.zst" or "zip". */
CX_PLUGIN_DECLARE_BUNDLES(arcp);

/* The cable-stream reader and writer that the kinds input and output
 * require: a bundle holds files, not one stream of cables, so these refuse
 * with a message saying what to do instead. */
CX_PLUGIN_DECLARE_READER(arcp);
CX_PLUGIN_DECLARE_WRITER(arcp);

/* Copies an untrusted entry name for messages and cables' source.entry:
 * bytes that are not valid UTF-8, and those of C0/C1 controls, DEL and the
 * bidirectional controls (U+202A-U+202E, U+2066-U+2069) become \xHH, the
 * backslash becomes \\; an empty or missing name becomes "<unnamed>".
 * Returns a malloc'ed string or NULL. */
char *arcp_escape_name(const char *name);

/* The mtime of written entries: SOURCE_DATE_EPOCH when it holds a
 * non-negative decimal number of seconds, else 0 (1970-01-01). */
int64_t arcp_epoch(void);

#endif

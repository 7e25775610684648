/* archive_plugin.c - the descriptor of the archive plugin (bundles read and
 * written with libarchive, formats/archive.md), its probe, and the helpers
 * the reader and writer share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_plugin.h"

static const char *const extensions[] = {"tar",    "tar.gz", "tgz",     "tar.bz2", "tbz2",
                                         "tar.xz", "txz",    "tar.zst", "zip",     "7z",
                                         "cpio",   "ar",     NULL};

static const struct cx_option_doc options[] = {
    {"max-entry-size", "BYTES",
     "read: largest entry after decompression (K, M, G suffixes; default 1G)"},
    {"max-total-size", "BYTES",
     "read: largest bundle after decompression (K, M, G suffixes; default 64G)"},
    CX_OPTIONS_END};

/* A tar header's checksum: the sum of its 512 bytes with the checksum field
 * counted as spaces (old tars without the ustar magic have only this). */
static bool tar_checksum_ok(const unsigned char *h) {
  unsigned long want = 0;
  size_t i = 148;
  while (i < 156 && h[i] == ' ')
    i++;
  if (i == 156 || h[i] < '0' || h[i] > '7') return false;
  for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
    want = want * 8 + (unsigned long)(h[i] - '0');
  unsigned long sum = 0;
  for (i = 0; i < 512; i++)
    sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == want && h[0] != '\0';
}

int arcp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
#define HAS(off, lit)                                                                              \
  (len >= (off) + sizeof(lit) - 1 && !memcmp(head + (off), lit, sizeof(lit) - 1))
  if (HAS(0, "7z\xbc\xaf\x27\x1c")) return 95;
  if (HAS(0, "PK\x03\x04") || HAS(0, "PK\x05\x06")) return 90;
  if (HAS(257, "ustar")) return 90;
  if (HAS(0, "!<arch>\n")) return 90;
  if (HAS(0, "070701") || HAS(0, "070702") || HAS(0, "070707")) return 90;
  if (len >= 2 && ((head[0] == 0xc7 && head[1] == 0x71) || (head[0] == 0x71 && head[1] == 0xc7)))
    return 60; /* binary cpio: two bytes only, so less sure */
  if (HAS(0, "\xfd"
             "7zXZ\0") ||
      HAS(0, "\x28\xb5\x2f\xfd"))
    return 80;
  if (HAS(0, "BZh") && len >= 4 && head[3] >= '1' && head[3] <= '9') return 80;
  if (len >= 512 && tar_checksum_ok(head)) return 70;
#undef HAS
  return 0;
}

/* The length of the valid UTF-8 sequence at s (overlong forms, surrogates
 * and code points past U+10FFFF are not), with its code point; 0 if none. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp) {
  size_t k;
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  } else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    k = 2;
    *cp = s[0] & 0x1f;
  } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    k = 3;
    *cp = s[0] & 0x0f;
  } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    k = 4;
    *cp = s[0] & 0x07;
  } else {
    return 0;
  }
  for (size_t i = 1; i < k; i++) { /* the NUL ends a short sequence here */
    if ((s[i] & 0xc0) != 0x80) return 0;
    *cp = (*cp << 6) | (s[i] & 0x3f);
  }
  if ((k == 3 && *cp < 0x800) || (k == 4 && *cp < 0x10000) || *cp > 0x10ffff ||
      (*cp >= 0xd800 && *cp <= 0xdfff))
    return 0;
  return k;
}

/* Characters a terminal acts on or that reorder what is shown: C0 and C1
 * controls, DEL, and the bidirectional embeddings, overrides and isolates. */
static bool unsafe(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

char *arcp_escape_name(const char *name) {
  if (!name || !*name) return strdup("<unnamed>");
  size_t len = strlen(name);
  if (len > SIZE_MAX / 4 - 1) return NULL;
  char *out = malloc(4 * len + 1), *o = out;
  if (!out) return NULL;
  for (const unsigned char *p = (const unsigned char *)name; *p;) {
    uint32_t cp;
    size_t k = utf8_seq(p, &cp);
    if (k && !unsafe(cp)) {
      if (*p == '\\') *o++ = '\\';
      memcpy(o, p, k);
      o += k;
      p += k;
      continue;
    }
    for (size_t i = 0; i < (k ? k : 1); i++) { /* each byte, or the one bad byte */
      snprintf(o, 5, "\\x%02x", p[i]);
      o += 4;
    }
    p += k ? k : 1;
  }
  *o = '\0';
  return out;
}

int64_t arcp_epoch(void) {
  const char *s = getenv("SOURCE_DATE_EPOCH");
  if (!s || !*s || strlen(s) > 18) return 0;
  int64_t t = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    t = t * 10 + (*s - '0');
  }
  return t;
}

int arcp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)in;
  (void)opts;
  *state = NULL;
  return cx_error(ctx, CX_FATAL, 0,
                  "a bundle holds files, not one stream of cables: it is read entry by entry "
                  "(bundle reader, ABI 1.1)");
}

int arcp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  (void)state;
  *cable = NULL;
  return cx_error(ctx, CX_FATAL, 0, "archive: no cable stream");
}

void arcp_reader_close(void *state) {
  (void)state;
}

int arcp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)out;
  (void)opts;
  *state = NULL;
  return cx_error(ctx, CX_FATAL, 0,
                  "a bundle needs the format of its entries: for example -t tar.gz:raw or "
                  "-t zip:json");
}

int arcp_writer_write(void *state, const struct cx_cable *cable, struct cx_ctx *ctx) {
  (void)state;
  (void)cable;
  return cx_error(ctx, CX_FATAL, 0, "archive: no cable stream");
}

int arcp_writer_close(void *state, struct cx_ctx *ctx) {
  (void)state;
  (void)ctx;
  return CX_OK;
}

CX_PLUGIN_DEFINE(
    CX_PLUGIN_ABOUT("archive", "1.0.0", CX_KIND_CONTAINER | CX_KIND_INPUT | CX_KIND_OUTPUT,
                    "bundles: tar (gz, bz2, xz, zst), zip, 7z, cpio, ar (formats/archive.md)",
                    extensions, options),
    CX_PLUGIN_READER(arcp), CX_PLUGIN_WRITER(arcp), CX_PLUGIN_BUNDLES(arcp));

/* naming.c - the names of output files (directory mode) and bundle
 * entries: a cable's id reduced to [A-Za-z0-9._-], under cable/YYYY/MM/ in
 * a bundle, made unique in the run with -2, -3 ... */
#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

#define NAME_MAX_LEN 200 /* of a per-cable output file name, before the extension */

/* The name of a cable's file (directory mode) or entry (bundle), without
 * extension: id, canonical id or the input's basename reduced to
 * [A-Za-z0-9._-]; in a bundle under cable/YYYY/MM/ of its created date. */
char *cxr_cable_stem(const struct sink *s, const struct cx_cable *c, const char *input) {
  const char *stem = c->id && *c->id ? c->id : c->canonical_id;
  char base[NAME_MAX_LEN + 1];
  size_t n = 0;
  if (!stem || !*stem) {
    const char *b = strrchr(input, '/');
    stem = b ? b + 1 : input;
    if (strcmp(stem, "-") == 0) stem = "stdin";
  }
  for (const char *p = stem; *p && n < NAME_MAX_LEN; p++) {
    unsigned char ch = (unsigned char)*p;
    base[n++] = (isalnum(ch) && ch < 128) || ch == '.' || ch == '_' || ch == '-' ? (char)ch : '_';
  }
  base[n] = '\0';
  if (stem != c->id && stem != c->canonical_id) {
    /* An input basename loses its extensions: "x.txt.gz" -> "x". */
    char *dot = strchr(base + 1, '.');
    if (dot) *dot = '\0';
  }
  if (base[0] == '.') base[0] = '_'; /* no hidden files, no ".." */
  if (!base[0]) strcpy(base, "cable");
  if (s->mode != SINK_BUNDLE) return strdup(base);

  char dir[32] = "cable/unknown/";
  const char *d = c->created;
  if (d && strlen(d) >= 7 && isdigit((unsigned char)d[0]) && isdigit((unsigned char)d[1]) &&
      isdigit((unsigned char)d[2]) && isdigit((unsigned char)d[3]) && d[4] == '-' &&
      ((d[5] == '0' && d[6] >= '1' && d[6] <= '9') || (d[5] == '1' && d[6] >= '0' && d[6] <= '2')))
    snprintf(dir, sizeof dir, "cable/%.4s/%.2s/", d, d + 5);
  size_t len = strlen(dir) + strlen(base) + 1;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s%s", dir, base);
  return p;
}

uint64_t cxr_hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* The slot of name, or NULL. */
static struct name_slot *nameset_find(struct nameset *s, const char *name) {
  if (!s->cap) return NULL;
  for (size_t i = cxr_hash_str(name) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    s->probes++;
    if (!s->slot[i].name) return NULL;
    if (strcmp(s->slot[i].name, name) == 0) return &s->slot[i];
  }
}

static int nameset_put(struct nameset *s, char *owned) {
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    struct name_slot *slot = calloc(cap, sizeof *slot);
    if (!slot) {
      free(owned);
      return CX_FATAL;
    }
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->slot[i].name) continue;
      size_t j = cxr_hash_str(s->slot[i].name) & (cap - 1);
      while (slot[j].name)
        j = (j + 1) & (cap - 1);
      slot[j] = s->slot[i];
    }
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
  }
  size_t j = cxr_hash_str(owned) & (s->cap - 1);
  while (s->slot[j].name)
    j = (j + 1) & (s->cap - 1);
  s->slot[j].name = owned;
  s->slot[j].next = 0;
  s->n++;
  return CX_OK;
}

void cxr_nameset_free(struct nameset *s) {
  for (size_t i = 0; i < s->cap; i++)
    free(s->slot[i].name);
  free(s->slot);
}

char *cxr_unique_name(struct sink *s, const char *prefix, const char *stem) {
  size_t len = strlen(prefix) + strlen(stem) + strlen(s->ext) + 32;
  char *path = malloc(len);
  if (!path) return NULL;
  snprintf(path, len, "%s%s.%s", prefix, stem, s->ext);
  struct name_slot *first = nameset_find(&s->names, path);
  if (first) {
    /* taken: go on from the -K the last name of this stem stopped at (a
     * name taken by another stem, "x-2" for a cable whose id is x-2, is
     * stepped over) */
    unsigned long k = first->next ? first->next : 2;
    for (;; k++) {
      snprintf(path, len, "%s%s-%lu.%s", prefix, stem, k, s->ext);
      if (!nameset_find(&s->names, path)) break;
    }
    first->next = k + 1; /* the set has not grown since: first is still valid */
  }
  char *copy = strdup(path);
  if (!copy || nameset_put(&s->names, copy) != CX_OK) {
    free(path);
    return NULL;
  }
  return path;
}

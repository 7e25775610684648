/* warnings.c - repeated warnings grouped on stderr: the first few of each
 * kind are shown in full, the rest counted, then said once at the end
 * ("... and 4,997 more like this (see --errors)") with a count by kind in
 * the summary.  The --errors log keeps every one.  A kind is the message
 * with its quoted strings and its tokens that hold a digit (line numbers,
 * ids, dates) left out.  Used from the writing thread only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

#define KIND_SHOW 3      /* shown in full, of each kind */
#define KIND_MAX 4096    /* kinds counted; past that, every warning is shown */
#define KIND_KEY_MAX 160 /* bytes of a kind's key */

struct warn_kind {
  char *key;
  char *example; /* the first message of the kind */
  unsigned long n;
};

static size_t token_end(const char *p) {
  size_t n = 0;
  while (p[n] && p[n] != ' ' && p[n] != '"' && p[n] != ',' && p[n] != '(' && p[n] != ')')
    n++;
  return n;
}

/* msg's kind into key (KIND_KEY_MAX bytes). */
static void kind_of(const char *msg, char *key) {
  size_t k = 0;
  for (const char *p = msg; *p && k + 4 < KIND_KEY_MAX;) {
    if (*p == '"') {
      const char *q = strchr(p + 1, '"');
      p = q ? q + 1 : p + strlen(p);
      key[k++] = '"';
      key[k++] = '"';
      continue;
    }
    size_t n = token_end(p);
    if (n && strcspn(p, "0123456789") < n) {
      key[k++] = '#';
      p += n;
      continue;
    }
    if (!n) n = 1;
    while (n-- && k + 4 < KIND_KEY_MAX)
      key[k++] = *p++;
  }
  key[k] = '\0';
}

/* The slot of key, or the empty slot where it goes. */
static struct warn_kind *slot_of(struct warn_kinds *w, const char *key) {
  for (size_t i = cxr_hash_str(key) & (w->cap - 1);; i = (i + 1) & (w->cap - 1))
    if (!w->v[i].key || strcmp(w->v[i].key, key) == 0) return &w->v[i];
}

static int grow(struct warn_kinds *w) {
  size_t cap = w->cap ? w->cap * 2 : 64;
  struct warn_kind *v = calloc(cap, sizeof *v), *old = w->v;
  if (!v) return -1;
  size_t ocap = w->cap;
  w->v = v;
  w->cap = cap;
  for (size_t i = 0; i < ocap; i++)
    if (old[i].key) *slot_of(w, old[i].key) = old[i];
  free(old);
  return 0;
}

bool cxr_warning_shown(struct run *r, const char *msg) {
  struct warn_kinds *w = &r->kinds;
  w->total++;
  char key[KIND_KEY_MAX];
  kind_of(msg ? msg : "", key);
  if (w->cap == 0 || (w->n + 1) * 2 > w->cap) {
    if (w->n >= KIND_MAX || grow(w) != 0) return true; /* too many kinds: show it */
  }
  struct warn_kind *k = slot_of(w, key);
  if (!k->key) {
    k->key = strdup(key);
    k->example = strdup(msg ? msg : "");
    if (!k->key || !k->example) {
      free(k->key);
      free(k->example);
      k->key = k->example = NULL;
      return true;
    }
    w->n++;
  }
  return ++k->n <= KIND_SHOW;
}

static int by_count(const void *a, const void *b) {
  const struct warn_kind *x = *(const struct warn_kind *const *)a;
  const struct warn_kind *y = *(const struct warn_kind *const *)b;
  return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->key, y->key);
}

/* The kinds with hidden repeats, most first; *n of them.  NULL when none. */
static const struct warn_kind **hidden_kinds(const struct warn_kinds *w, size_t *n) {
  *n = 0;
  const struct warn_kind **v = w->n ? malloc(w->n * sizeof *v) : NULL;
  for (size_t i = 0; v && i < w->cap; i++)
    if (w->v[i].key && w->v[i].n > KIND_SHOW) v[(*n)++] = &w->v[i];
  if (v && *n) qsort(v, *n, sizeof *v, by_count);
  return v;
}

void cxr_warnings_said(const struct run *r, char *summary, size_t size) {
  const struct warn_kinds *w = &r->kinds;
  summary[0] = '\0';
  if (!w->total) return;
  size_t n;
  const struct warn_kind **v = hidden_kinds(w, &n);
  int used = snprintf(summary, size, ", %lu warning%s", w->total, w->total == 1 ? "" : "s");
  for (size_t i = 0; i < n; i++) {
    char line[CX_MSG_MAX + 96];
    snprintf(line, sizeof line, "warning: ... and %lu more like this (see --errors): %s",
             v[i]->n - KIND_SHOW, v[i]->example);
    cxr_say("%s", line);
    if (i < 3 && used > 0 && (size_t)used < size)
      used += snprintf(summary + used, size - (size_t)used, "%s%lu like '%.60s'", i ? ", " : " (",
                       v[i]->n, v[i]->key);
  }
  if (n && used > 0 && (size_t)used < size)
    snprintf(summary + used, size - (size_t)used, "%s)", n > 3 ? ", ..." : "");
  free(v);
}

void cxr_warnings_free(struct warn_kinds *w) {
  for (size_t i = 0; i < w->cap; i++) {
    free(w->v[i].key);
    free(w->v[i].example);
  }
  free(w->v);
}

/* options.c - the -O NAME[=VALUE] settings given to plugins.
 *
 * Ownership: as in cablex/options.h; the set owns copies of every name
 * and value until cx_options_free().
 */
#include "cablex/options.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cx_option {
  char *name;
  char *value; /* "" for a flag */
};

/* A plain array: a run has a handful of options.  Strings are separate
 * allocations, so growing the array never moves what callers borrowed. */
struct cx_options {
  struct cx_option *v;
  size_t n, cap;
};

struct cx_options *cx_options_new(void) {
  return calloc(1, sizeof(struct cx_options));
}

void cx_options_free(struct cx_options *opts) {
  if (!opts) return;
  for (size_t i = 0; i < opts->n; i++) {
    free(opts->v[i].name);
    free(opts->v[i].value);
  }
  free(opts->v);
  free(opts);
}

static int options_add(struct cx_options *opts, const char *name, size_t name_len,
                       const char *value) {
  if (!opts || !name || name_len == 0) return CX_FAILED;
  if (opts->n == opts->cap) {
    size_t cap = opts->cap ? opts->cap * 2 : 8;
    struct cx_option *v = realloc(opts->v, cap * sizeof *v);
    if (!v) return CX_FATAL;
    opts->v = v;
    opts->cap = cap;
  }
  char *n = malloc(name_len + 1);
  char *val = strdup(value ? value : "");
  if (!n || !val) {
    free(n);
    free(val);
    return CX_FATAL;
  }
  memcpy(n, name, name_len);
  n[name_len] = '\0';
  opts->v[opts->n].name = n;
  opts->v[opts->n].value = val;
  opts->n++;
  return CX_OK;
}

int cx_options_set(struct cx_options *opts, const char *name, const char *value) {
  return options_add(opts, name, name ? strlen(name) : 0, value);
}

int cx_options_parse(struct cx_options *opts, const char *arg) {
  if (!arg) return CX_FAILED;
  const char *eq = strchr(arg, '=');
  if (!eq) return options_add(opts, arg, strlen(arg), NULL);
  return options_add(opts, arg, (size_t)(eq - arg), eq + 1);
}

const char *cx_options_get(const struct cx_options *opts, const char *name) {
  if (!opts || !name) return NULL;
  for (size_t i = opts->n; i-- > 0;)
    if (strcmp(opts->v[i].name, name) == 0) return opts->v[i].value;
  return NULL;
}

bool cx_options_at(const struct cx_options *opts, size_t i, const char **name, const char **value) {
  if (!opts || i >= opts->n) return false;
  if (name) *name = opts->v[i].name;
  if (value) *value = opts->v[i].value;
  return true;
}

size_t cx_options_count(const struct cx_options *opts) {
  return opts ? opts->n : 0;
}

int cx_parse_size(const char *s, size_t *out) {
  size_t v = 0;
  if (!s || *s < '0' || *s > '9') return CX_FAILED;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (v > (SIZE_MAX - 9) / 10) return CX_FAILED;
    v = v * 10 + (size_t)(*s - '0');
  }
  unsigned shift = 0;
  if (*s == 'k' || *s == 'K')
    shift = 10;
  else if (*s == 'm' || *s == 'M')
    shift = 20;
  else if (*s == 'g' || *s == 'G')
    shift = 30;
  if (shift) {
    s++;
    if (*s == 'i') s++;              /* "16Mi" */
    if (*s == 'B' || *s == 'b') s++; /* "16MB" */
  }
  if (*s || !v || v > (SIZE_MAX >> shift)) return CX_FAILED;
  *out = v << shift;
  return CX_OK;
}

int cx_options_max_cable_size(const struct cx_options *opts, struct cx_ctx *ctx, size_t *max) {
  const char *s = cx_options_get(opts, "max-cable-size");
  *max = CX_DEFAULT_CABLE_MAX;
  if (s && cx_parse_size(s, max) != CX_OK)
    return cx_error(ctx, CX_FATAL, 0,
                    "max-cable-size \"%s\" is not a size (bytes, or with K, M or G)", s);
  return CX_OK;
}

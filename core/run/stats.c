/* stats.c - `cablex stats`: counting (a hash table of keys per table) and
 * the text, CSV and JSON tables.  The SVG chart is in stats_svg.c.
 *
 * A table counts tuples of dimension values; a cable with several tags
 * counts once under each (and under "(none)" without any), so the tag
 * table's counts add up to more than the number of cables.  Keys are the
 * values joined with US (0x1f).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h" /* cxr_hash_str */
#include "stats_internal.h"

static const char *const dim_names[STATS_NDIMS] = {"year", "origin", "classification", "tag"};

const char *stats_dim_name(int d) {
  return dim_names[d];
}

static int tab_grow(struct stats_tab *t) {
  size_t cap = t->cap ? t->cap * 2 : 64;
  struct stats_row *v = calloc(cap, sizeof *v);
  if (!v) return CX_FATAL;
  for (size_t i = 0; i < t->cap; i++) {
    if (!t->slot[i].key) continue;
    size_t j = cxr_hash_str(t->slot[i].key) & (cap - 1);
    while (v[j].key)
      j = (j + 1) & (cap - 1);
    v[j] = t->slot[i];
  }
  free(t->slot);
  t->slot = v;
  t->cap = cap;
  return CX_OK;
}

/* Adds n to the count of key. */
int stats_tab_count(struct stats_tab *t, const char *key, unsigned long n) {
  if ((t->n + 1) * 2 > t->cap && tab_grow(t) != CX_OK) return CX_FATAL;
  size_t j = cxr_hash_str(key) & (t->cap - 1);
  while (t->slot[j].key && strcmp(t->slot[j].key, key) != 0)
    j = (j + 1) & (t->cap - 1);
  if (!t->slot[j].key) {
    if (!(t->slot[j].key = strdup(key))) return CX_FATAL;
    t->n++;
  }
  t->slot[j].count += n;
  return CX_OK;
}

unsigned long stats_tab_get(const struct stats_tab *t, const char *key) {
  if (!t->cap) return 0;
  size_t j = cxr_hash_str(key) & (t->cap - 1);
  while (t->slot[j].key) {
    if (!strcmp(t->slot[j].key, key)) return t->slot[j].count;
    j = (j + 1) & (t->cap - 1);
  }
  return 0;
}

static void tab_free(struct stats_tab *t) {
  for (size_t i = 0; i < t->cap; i++)
    free(t->slot[i].key);
  free(t->slot);
  free(t->sorted);
  memset(t, 0, sizeof *t);
}

static int parse_dim(const char *s, size_t n) {
  for (int d = 0; d < STATS_NDIMS; d++)
    if (strlen(dim_names[d]) == n && !strncmp(s, dim_names[d], n)) return d;
  return -1;
}

struct cxr_stats *cxr_stats_new(const char *by, char *err, size_t errlen) {
  struct cxr_stats *s = calloc(1, sizeof *s);
  if (!s) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (!by) {
    for (int d = 0; d < STATS_NDIMS; d++) {
      s->tab[d].ndims = 1;
      s->tab[d].dims[0] = d;
    }
    s->ntabs = STATS_NDIMS;
  } else {
    struct stats_tab *t = &s->tab[0];
    s->ntabs = 1;
    for (const char *p = by;;) {
      size_t n = strcspn(p, ",");
      int d = parse_dim(p, n);
      if (d < 0 || t->ndims == STATS_NDIMS) {
        snprintf(err, errlen, "--by %s: give up to %d of year, origin, classification, tag", by,
                 STATS_NDIMS);
        free(s);
        return NULL;
      }
      t->dims[t->ndims++] = d;
      if (!p[n]) break;
      p += n + 1;
    }
  }
  /* the charts' own counts */
  s->year_class.ndims = 2;
  s->year_class.dims[0] = STATS_YEAR;
  s->year_class.dims[1] = STATS_CLASS;
  s->origins.ndims = 1;
  s->origins.dims[0] = STATS_ORIGIN;
  return s;
}

void cxr_stats_free(struct cxr_stats *s) {
  if (!s) return;
  for (int i = 0; i < s->ntabs; i++)
    tab_free(&s->tab[i]);
  tab_free(&s->year_class);
  tab_free(&s->origins);
  free(s);
}

/* The values of dimension d for a cable (a tag list may hold several). */
static size_t dim_values(int d, const struct cx_cable *c, const char **one, char year[8],
                         const char *const **many) {
  *many = one;
  switch (d) {
  case STATS_YEAR:
    if (c->created && strlen(c->created) >= 4 && isdigit((unsigned char)c->created[0]) &&
        isdigit((unsigned char)c->created[1]) && isdigit((unsigned char)c->created[2]) &&
        isdigit((unsigned char)c->created[3])) {
      memcpy(year, c->created, 4);
      year[4] = '\0';
      one[0] = year;
    } else {
      one[0] = "unknown";
    }
    return 1;
  case STATS_ORIGIN:
    one[0] = c->origin && *c->origin ? c->origin : "unknown";
    return 1;
  case STATS_CLASS:
    one[0] = c->classification && *c->classification ? c->classification : "unknown";
    return 1;
  default:
    if (!c->tags.n) {
      one[0] = "(none)";
      return 1;
    }
    *many = (const char *const *)c->tags.v;
    return c->tags.n;
  }
}

/* Appends a value to a key: a US inside the value, which would split it,
 * becomes U+241F (the symbol for US). */
static int add_value(struct cx_buf *b, const char *v) {
  for (;;) {
    size_t n = strcspn(v, "\x1f");
    if (cx_buf_add(b, v, n) != CX_OK) return CX_FATAL;
    if (!v[n]) return CX_OK;
    if (cx_buf_adds(b, "\xe2\x90\x9f") != CX_OK) return CX_FATAL;
    v += n + 1;
  }
}

/* Counts every tuple of t's dimensions from dimension i on, key so far in b. */
static int count_tuples(struct stats_tab *t, int i, const struct cx_cable *c, struct cx_buf *b) {
  if (i == t->ndims) return stats_tab_count(t, b->data ? b->data : "", 1);
  const char *one[1];
  const char *const *vals;
  char year[8];
  size_t n = dim_values(t->dims[i], c, one, year, &vals);
  size_t len = b->len;
  for (size_t k = 0; k < n; k++) {
    b->len = len;
    if ((i && cx_buf_addc(b, '\x1f') != CX_OK) || add_value(b, vals[k] ? vals[k] : "") != CX_OK)
      return CX_FATAL;
    if (count_tuples(t, i + 1, c, b) != CX_OK) return CX_FATAL;
  }
  b->len = len;
  if (b->data) b->data[len] = '\0';
  return CX_OK;
}

int cxr_stats_add(struct cxr_stats *s, const struct cx_cable *c) {
  struct cx_buf b;
  cx_buf_init(&b, (size_t)-1);
  int rc = CX_OK;
  for (int i = 0; i < s->ntabs && rc == CX_OK; i++)
    rc = count_tuples(&s->tab[i], 0, c, &b);
  if (rc == CX_OK) rc = count_tuples(&s->year_class, 0, c, &b);
  if (rc == CX_OK) rc = count_tuples(&s->origins, 0, c, &b);
  cx_buf_free(&b);
  if (rc == CX_OK) s->cables++;
  return rc;
}

/* ---- sorted rows ---- */

static int by_key(const void *a, const void *b) {
  return strcmp((*(struct stats_row *const *)a)->key, (*(struct stats_row *const *)b)->key);
}

static int by_count(const void *a, const void *b) {
  const struct stats_row *x = *(struct stats_row *const *)a, *y = *(struct stats_row *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->key, y->key);
}

int stats_tab_sort(struct stats_tab *t) {
  free(t->sorted);
  t->sorted = malloc((t->n ? t->n : 1) * sizeof *t->sorted);
  if (!t->sorted) return CX_FATAL;
  size_t k = 0;
  for (size_t i = 0; i < t->cap; i++)
    if (t->slot[i].key) t->sorted[k++] = &t->slot[i];
  /* years and cross-tabs in key order, a single other dimension by count */
  bool keyed = t->ndims > 1 || t->dims[0] == STATS_YEAR;
  qsort(t->sorted, t->n, sizeof *t->sorted, keyed ? by_key : by_count);
  return CX_OK;
}

/* The i-th value of a key (values joined with US), into out. */
static const char *key_part(const char *key, int i, char *out, size_t size) {
  for (; i > 0; i--) {
    const char *us = strchr(key, '\x1f');
    key = us ? us + 1 : "";
  }
  size_t n = strcspn(key, "\x1f");
  if (n >= size) n = size - 1;
  memcpy(out, key, n);
  out[n] = '\0';
  return out;
}

static void csv_field(FILE *out, const char *s) {
  if (!s[strcspn(s, ",\"\r\n")]) {
    fputs(s, out);
    return;
  }
  putc('"', out);
  for (; *s; s++) {
    if (*s == '"') putc('"', out);
    putc(*s, out);
  }
  putc('"', out);
}

void stats_json_str(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  putc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20)
      fprintf(out, "\\u%04x", c);
    else
      putc(c, out);
  }
  putc('"', out);
}

static void print_csv(const struct stats_tab *t, FILE *out, bool header) {
  char part[1024];
  if (header) {
    for (int d = 0; d < t->ndims; d++)
      fprintf(out, "%s,", dim_names[t->dims[d]]);
    fputs("count\n", out);
  }
  for (size_t r = 0; r < t->n; r++) {
    for (int d = 0; d < t->ndims; d++) {
      csv_field(out, key_part(t->sorted[r]->key, d, part, sizeof part));
      putc(',', out);
    }
    fprintf(out, "%lu\n", t->sorted[r]->count);
  }
}

static void print_json(const struct stats_tab *t, FILE *out) {
  char part[1024];
  fputs("{\"by\":[", out);
  for (int d = 0; d < t->ndims; d++) {
    if (d) putc(',', out);
    stats_json_str(out, dim_names[t->dims[d]]);
  }
  fputs("],\"rows\":[", out);
  for (size_t r = 0; r < t->n; r++) {
    fputs(r ? ",\n{" : "\n{", out);
    for (int d = 0; d < t->ndims; d++) {
      stats_json_str(out, dim_names[t->dims[d]]);
      putc(':', out);
      stats_json_str(out, key_part(t->sorted[r]->key, d, part, sizeof part));
      putc(',', out);
    }
    fprintf(out, "\"count\":%lu}", t->sorted[r]->count);
  }
  fputs("]}", out);
}

int cxr_stats_print(struct cxr_stats *s, FILE *out, enum cxr_stats_format fmt) {
  for (int i = 0; i < s->ntabs; i++)
    if (stats_tab_sort(&s->tab[i]) != CX_OK) return CX_FATAL;
  if (fmt == CXR_STATS_JSON) fprintf(out, "{\"cables\":%lu,\"tables\":[", s->cables);
  for (int i = 0; i < s->ntabs; i++) {
    const struct stats_tab *t = &s->tab[i];
    if (fmt == CXR_STATS_CSV) {
      if (i) putc('\n', out);
      print_csv(t, out, true);
    } else if (fmt == CXR_STATS_JSON) {
      if (i) putc(',', out);
      print_json(t, out);
    } else {
      if (i) putc('\n', out);
      if (stats_print_text(s, t, out) != CX_OK) return CX_FATAL;
    }
  }
  if (fmt == CXR_STATS_JSON) fputs("]}\n", out);
  if (fmt == CXR_STATS_TEXT) fprintf(out, "\n%lu cables\n", s->cables);
  return fflush(out) == 0 && !ferror(out) ? CX_OK : CX_FATAL;
}

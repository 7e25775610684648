/* formats.c - format resolution, once (see formats.h): plugin names and
 * extensions for -f / -t / -o, bundle writers, and detection of an
 * input's reader. */
#include "formats.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define PROBE_BYTES 4096

const struct cx_plugin *cxh_plugin_named(struct cxh_registry *reg, const char *fmt,
                                         unsigned kinds) {
  const struct cx_plugin *p = cxh_registry_find(reg, fmt, kinds);
  return p ? p : cxh_registry_by_ext(reg, fmt, kinds);
}

bool cxh_is_bundle_reader(const struct cx_plugin *p) {
  return (p->kinds & CX_KIND_CONTAINER) && CX_PLUGIN_HAS(p, bundle_close) && p->bundle_open &&
         p->bundle_next && p->bundle_close;
}

/* A bundle writer (CONTAINER|OUTPUT with the bundle writer members). */
bool cxh_is_bundle_writer(const struct cx_plugin *p) {
  return (p->kinds & CX_KIND_CONTAINER) && (p->kinds & CX_KIND_OUTPUT) &&
         CX_PLUGIN_HAS(p, bundle_writer_close) && p->bundle_writer_open && p->bundle_add &&
         p->bundle_writer_close;
}

bool cxh_has_encode(const struct cx_plugin *p) {
  return CX_PLUGIN_HAS(p, writer_put) && p->writer_encode && p->writer_put;
}

bool cxh_has_split(const struct cx_plugin *p) {
  return CX_PLUGIN_HAS(p, record_split) && p->record_split;
}

/* Whether the bundle writer of entry e is the one fmt names (by name or
 * extension), or, with is_path, how long the extension of e that ends
 * fmt's basename is (the longest that does).  Returns that length,
 * SIZE_MAX for a name, 0 for none; *ext is the extension matched (the
 * first one for a name), in e->extensions. */
static size_t bundle_match(const struct cxh_plugin_entry *e, const char *fmt, const char *base,
                           bool is_path, const char **ext, size_t *ext_len) {
  const char *list = e->extensions ? e->extensions : "";
  if (!is_path && strcmp(e->name, fmt) == 0 && *list) {
    *ext = list;
    *ext_len = strcspn(list, ",");
    return (size_t)-1;
  }
  size_t n = strlen(base), best = 0;
  for (const char *x = list; *x; x += *x == ',') {
    size_t k = strcspn(x, ",");
    if (!is_path) {
      if (k == strlen(fmt) && strncasecmp(x, fmt, k) == 0) {
        *ext = x;
        *ext_len = k;
        return (size_t)-1;
      }
    } else if (k && n > k + 1 && base[n - k - 1] == '.' && strncasecmp(base + n - k, x, k) == 0 &&
               k > best) {
      best = k;
      *ext = x;
      *ext_len = k;
    }
    x += k;
  }
  return best;
}

/* The extension of p's descriptor spelt as text[0, len), case-insensitive. */
static const char *descriptor_ext(const struct cx_plugin *p, const char *text, size_t len) {
  for (const char *const *x = p->extensions; x && *x; x++)
    if (strlen(*x) == len && strncasecmp(*x, text, len) == 0) return *x;
  return NULL;
}

/* The bundle writer that fmt names, or with is_path whose extension ends
 * fmt's basename (the longest that does, the first plugin on a tie).  Only
 * that plugin's module is opened. */
static const struct cx_plugin *find_bundle_writer(struct cxh_registry *reg, const char *fmt,
                                                  bool is_path, const char **format) {
  for (;;) {
    size_t best_i = 0, best_len = 0, ext_len = 0;
    const char *ext = NULL;
    const char *base = strrchr(fmt, '/');
    base = base ? base + 1 : fmt;
    for (size_t i = 0; i < cxh_registry_count(reg) && best_len != (size_t)-1; i++) {
      const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
      if (!cxh_entry_usable(e) || !cxh_entry_has_kinds(e, CX_KIND_CONTAINER | CX_KIND_OUTPUT))
        continue;
      const char *x = NULL;
      size_t xl = 0, len = bundle_match(e, fmt, base, is_path, &x, &xl);
      if (len > best_len) {
        best_i = i;
        best_len = len;
        ext = x;
        ext_len = xl;
      }
    }
    if (!best_len) return NULL;
    char want[64];
    snprintf(want, sizeof want, "%.*s", (int)(ext_len < sizeof want ? ext_len : 0), ext);
    const struct cx_plugin *p = cxh_registry_open(reg, best_i);
    if (p && cxh_is_bundle_writer(p) && (*format = descriptor_ext(p, want, strlen(want)))) return p;
    if (p) return NULL; /* not a bundle writer after all */
    /* refused on opening: look again without it */
  }
}

static int fail(char *err, size_t errlen, const char *fmt, const char *arg) CX_PRINTF(3, 0);
static int fail(char *err, size_t errlen, const char *fmt, const char *arg) {
  snprintf(err, errlen, fmt, arg);
  return CX_FAILED;
}

int cxh_choose_input(struct cxh_registry *reg, const char *from, const struct cx_plugin **reader,
                     char *err, size_t errlen) {
  *reader = NULL;
  if (!from) return CX_OK;
  *reader = cxh_plugin_named(reg, from, CX_KIND_INPUT);
  if (*reader) return CX_OK;
  return fail(err, errlen, "no input plugin named '%s' (see cablex plugins)", from);
}

/* -t BUNDLE:INNER, or a bundle named by -o's extension; *to is left at
 * the inner format (or NULL). */
static int choose_bundle(struct cxh_registry *reg, const char **to, struct cxh_output *o, char *err,
                         size_t errlen) {
  const char *colon = *to ? strchr(*to, ':') : NULL;
  if (!colon) {
    if (!o->dir && strcmp(o->path, "-") != 0)
      o->bundle = find_bundle_writer(reg, o->path, true, &o->format);
    return CX_OK;
  }
  char outer[64];
  size_t k = (size_t)(colon - *to);
  if (k == 0 || k >= sizeof outer || !colon[1])
    return fail(err, errlen, "bad -t '%s': expected BUNDLE:FORMAT, e.g. tar.gz:json", *to);
  memcpy(outer, *to, k);
  outer[k] = '\0';
  o->bundle = find_bundle_writer(reg, outer, false, &o->format);
  if (!o->bundle) return fail(err, errlen, "no bundle writer for '%s' (see cablex plugins)", outer);
  *to = colon + 1;
  return CX_OK;
}

int cxh_choose_output(struct cxh_registry *reg, const char *to, const char *output,
                      struct cxh_output *o, char *err, size_t errlen) {
  memset(o, 0, sizeof *o);
  o->path = output && *output ? output : "-";
  struct stat st;
  size_t olen = strlen(o->path);
  o->dir = strcmp(o->path, "-") != 0 &&
           (o->path[olen - 1] == '/' || (stat(o->path, &st) == 0 && S_ISDIR(st.st_mode)));
  if (choose_bundle(reg, &to, o, err, errlen) != CX_OK) return CX_FAILED;
  if (to) {
    o->writer = cxh_plugin_named(reg, to, CX_KIND_OUTPUT);
    if (!o->writer)
      return fail(err, errlen, "no output plugin named '%s' (see cablex plugins)", to);
  } else if (o->dir || strcmp(o->path, "-") == 0) {
    return fail(err, errlen, "%s", "no output format: give -t FMT (see cablex plugins)");
  } else if (!o->bundle) {
    char ext[64];
    cxh_extension_of(o->path, ext, sizeof ext);
    if (ext[0]) o->writer = cxh_registry_by_ext(reg, ext, CX_KIND_OUTPUT);
    if (!o->writer)
      return fail(err, errlen, "no output plugin for '%s': give -t FMT (see cablex plugins)",
                  o->path);
  }
  if (o->writer && cxh_is_bundle_writer(o->writer)) /* -t tar.gz alone */
    return fail(err, errlen,
                "'%s' writes bundles: give the format of its entries too, "
                "e.g. -t tar.gz:json or -o out.tar.gz -t json",
                to ? to : o->path);
  if (o->bundle && !o->writer)
    return fail(err, errlen, "%s",
                "a bundle output needs the format of its entries: -t FMT (e.g. -t raw)");
  if (o->bundle && o->dir)
    return fail(err, errlen, "%s", "a bundle is one file: -o cannot be a directory");
  const struct cx_plugin *w = o->writer;
  o->ext = w->extensions && w->extensions[0] ? w->extensions[0] : w->name;
  return CX_OK;
}

void cxh_extension_of(const char *path, char *ext, size_t size) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 3 && strcasecmp(base + n - 3, ".gz") == 0) n -= 3;
  ext[0] = '\0';
  for (size_t i = n; i-- > 1;) {
    if (base[i] == '.') {
      size_t len = n - i - 1;
      if (len < size) {
        memcpy(ext, base + i + 1, len);
        ext[len] = '\0';
      }
      return;
    }
  }
}

/* The input plugin with the best probe() score over the first bytes, or
 * NULL when none claims them.  Modules are opened one by one, in registry
 * order, only those that can probe; a score of 100 cannot be beaten, so
 * the rest stay closed. */
static const struct cx_plugin *probe(struct cxh_registry *reg, struct cx_istream *in,
                                     const char *name) {
  const unsigned char *head = NULL;
  size_t len = cx_istream_peek(in, &head, PROBE_BYTES);
  const struct cx_plugin *best = NULL;
  int best_score = 0;
  for (size_t i = 0; i < cxh_registry_count(reg) && best_score < 100; i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    if (!cxh_entry_usable(e) || !cxh_entry_has_kinds(e, CX_KIND_INPUT) || !cxh_entry_may_probe(e))
      continue;
    const struct cx_plugin *p = cxh_registry_open(reg, i);
    if (!p || !(p->kinds & CX_KIND_INPUT) || !p->probe) continue;
    int score = p->probe(head ? head : (const unsigned char *)"", head ? len : 0, name);
    if (score > 100) score = 100;
    if (score > best_score) {
      best_score = score;
      best = p;
    }
  }
  return best;
}

const struct cx_plugin *cxh_detect(struct cxh_registry *reg, const char *name,
                                   struct cx_istream *in) {
  char ext[64];
  const struct cx_plugin *reader = NULL;
  cxh_extension_of(name, ext, sizeof ext);
  if (ext[0]) reader = cxh_registry_by_ext(reg, ext, CX_KIND_INPUT);
  return reader ? reader : probe(reg, in, name);
}

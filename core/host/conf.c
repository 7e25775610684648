/* conf.c - plugins.d confs: reading, the lines a descriptor gives, writing
 * them (the build-time cache) and comparing a conf with its module.  See
 * conf.h for the keys. */
#include "conf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* A conf is a handful of short lines; anything bigger is not a conf. */
#define CX_CONF_MAX ((off_t)64 * 1024)

char *cxh_xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = malloc((size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

char *cxh_join(const char *a, const char *b, const char *c) {
  size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
  char *p = malloc(na + nb + nc + 1);
  if (!p) return NULL;
  memcpy(p, a, na);
  memcpy(p + na, b, nb);
  memcpy(p + na + nb, c, nc + 1);
  return p;
}

void cxh_conf_clear(struct cxh_conf *c) {
  free(c->name);
  free(c->module);
  free(c->abi);
  free(c->kinds);
  free(c->extensions);
  free(c->options);
  free(c->probe);
  free(c->mime);
  free(c->description);
  memset(c, 0, sizeof *c);
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  return s;
}

/* Where the value of key goes, or NULL for a key that is not a string. */
static char **slot(struct cxh_conf *c, const char *key) {
  static const struct {
    const char *key;
    size_t off;
  } keys[] = {
      {"name", offsetof(struct cxh_conf, name)},
      {"module", offsetof(struct cxh_conf, module)},
      {"abi", offsetof(struct cxh_conf, abi)},
      {"kinds", offsetof(struct cxh_conf, kinds)},
      {"extensions", offsetof(struct cxh_conf, extensions)},
      {"options", offsetof(struct cxh_conf, options)},
      {"probe", offsetof(struct cxh_conf, probe)},
      {"mime", offsetof(struct cxh_conf, mime)},
      {"description", offsetof(struct cxh_conf, description)},
  };
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (strcmp(keys[i].key, key) == 0) return (char **)((char *)c + keys[i].off);
  return NULL;
}

static int bad(char **why, const char *path, unsigned long line, const char *what) {
  *why = line ? cxh_xprintf("%s:%lu: %s", path, line, what) : cxh_xprintf("%s: %s", path, what);
  return *why ? CX_FAILED : CX_FATAL;
}

/* One "key = value" line (trimmed, not a comment). */
static int conf_line(struct cxh_conf *c, char *s, const char *path, unsigned long lineno,
                     char **why, struct cx_ctx *warn) {
  char *eq = strchr(s, '=');
  if (!eq) return bad(why, path, lineno, "not a 'key = value' line");
  *eq = '\0';
  char *key = trim(s), *value = trim(eq + 1);
  if (strcmp(key, "enabled") == 0) {
    if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1"))
      c->enabled = true;
    else if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0"))
      c->enabled = false;
    else
      return bad(why, path, lineno, "enabled must be true or false");
    return CX_OK;
  }
  char **dst = slot(c, key);
  if (!dst) {
    cx_warn(warn, lineno, "unknown key '%s' ignored", key);
    return CX_OK;
  }
  free(*dst);
  return (*dst = strdup(value)) ? CX_OK : CX_FATAL;
}

/* Reads the conf at path whole into a NUL-terminated buffer of *size (at
 * most CX_CONF_MAX) bytes (a conf is read at every start: one read, not stdio's
 * line at a time). */
static int slurp(const char *path, char **text, size_t *size, char **why) {
  *text = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bad(why, path, 0, strerror(errno));
  struct stat st;
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  size_t cap = regular ? (size_t)st.st_size + 1 : 4096;
  if (cap > (size_t)CX_CONF_MAX + 1) cap = (size_t)CX_CONF_MAX + 1;
  char *buf = malloc(cap + 1);
  size_t len = 0;
  int err = buf ? 0 : ENOMEM;
  while (!err) {
    if (len == cap) { /* a file that grew, or not a regular file */
      char *p = cap > (size_t)CX_CONF_MAX ? NULL : realloc(buf, 2 * cap + 1);
      if (!p) break; /* too big: said below */
      buf = p;
      cap *= 2;
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n > 0) {
      len += (size_t)n;
      /* a regular file reads short only at its end: no read to see 0 */
      if (regular && len < cap) break;
    } else if (n == 0)
      break;
    else if (errno != EINTR)
      err = errno;
  }
  close(fd);
  if (err) {
    free(buf);
    return err == ENOMEM ? CX_FATAL : bad(why, path, 0, strerror(err));
  }
  if (len > (size_t)CX_CONF_MAX) {
    free(buf);
    return bad(why, path, 0, "too big for a plugin conf");
  }
  buf[len] = '\0';
  *text = buf;
  *size = len;
  return CX_OK;
}

int cxh_conf_read(const char *path, struct cxh_conf *c, char **why, bool partial,
                  cx_report_fn report, void *report_user) {
  memset(c, 0, sizeof *c);
  c->enabled = true;
  *why = NULL;
  char *text;
  size_t size;
  int rc = slurp(path, &text, &size, why);
  if (rc != CX_OK) return rc;
  struct cx_ctx warn = {0};
  warn.file = path;
  warn.report = report;
  warn.report_user = report_user;
  unsigned long lineno = 0;
  /* A NUL ends what is read of its line only, as it did with getline. */
  for (char *line = text, *end = text + size; rc == CX_OK && line < end;) {
    char *nl = memchr(line, '\n', (size_t)(end - line));
    char *next = nl ? nl + 1 : end;
    if (nl) *nl = '\0';
    lineno++;
    char *s = trim(line);
    if (*s && *s != '#') rc = conf_line(c, s, path, lineno, why, &warn);
    line = next;
  }
  free(text);
  if (rc == CX_OK && !partial && (!c->name || !c->name[0]))
    return bad(why, path, 0, "no 'name' line");
  if (rc == CX_OK && (!c->module || !c->module[0])) return bad(why, path, 0, "no 'module' line");
  return rc;
}

static char *kinds_text(unsigned kinds) {
  char buf[64] = "";
  if (kinds & CX_KIND_INPUT) strcat(buf, ",input");
  if (kinds & CX_KIND_OUTPUT) strcat(buf, ",output");
  if (kinds & CX_KIND_CONTAINER) strcat(buf, ",container");
  return strdup(buf[0] ? buf + 1 : "-");
}

unsigned cxh_kinds_of(const char *text) {
  unsigned k = 0;
  if (!text) return 0;
  k |= cxh_list_has(text, "input", 5, true, NULL) ? CX_KIND_INPUT : 0;
  k |= cxh_list_has(text, "output", 6, true, NULL) ? CX_KIND_OUTPUT : 0;
  k |= cxh_list_has(text, "container", 9, true, NULL) ? CX_KIND_CONTAINER : 0;
  return k;
}

static char *extensions_text(const char *const *ext) {
  size_t len = 1;
  for (size_t i = 0; ext && ext[i]; i++)
    len += strlen(ext[i]) + 1;
  char *s = malloc(len);
  if (!s) return NULL;
  s[0] = '\0';
  for (size_t i = 0; ext && ext[i]; i++) {
    if (i) strcat(s, ",");
    strcat(s, ext[i]);
  }
  return s;
}

/* "pretty,max-cable-size=BYTES": NAME, or NAME=ARG (a comma in ARG
 * becomes ';', so that the list stays a list). */
static char *options_text(const struct cx_option_doc *o) {
  size_t len = 1;
  for (const struct cx_option_doc *d = o; d && d->name; d++)
    len += strlen(d->name) + (d->arg ? strlen(d->arg) + 1 : 0) + 1;
  char *s = malloc(len), *p = s;
  if (!s) return NULL;
  for (const struct cx_option_doc *d = o; d && d->name; d++) {
    p += sprintf(p, "%s%s", p == s ? "" : ",", d->name);
    if (!d->arg) continue;
    *p++ = '=';
    for (const char *a = d->arg; *a; a++)
      *p++ = *a == ',' ? ';' : *a;
  }
  *p = '\0';
  return s;
}

static int set(char **dst, char *value) {
  free(*dst);
  *dst = value;
  return value ? CX_OK : CX_FATAL;
}

int cxh_conf_describe(struct cxh_conf *c, const struct cx_plugin *p) {
  int rc = set(&c->name, strdup(p->name));
  if (rc == CX_OK) rc = set(&c->abi, cxh_xprintf("%u.%u", p->abi_major, p->abi_minor));
  if (rc == CX_OK) rc = set(&c->kinds, kinds_text(p->kinds));
  if (rc == CX_OK) rc = set(&c->extensions, extensions_text(p->extensions));
  if (rc == CX_OK) rc = set(&c->options, options_text(p->options));
  if (rc == CX_OK) rc = set(&c->probe, strdup(p->probe ? "true" : "false"));
  if (rc == CX_OK) rc = set(&c->description, strdup(p->description ? p->description : ""));
  return rc;
}

int cxh_conf_write(FILE *f, const struct cxh_conf *c, const char *header) {
  if (header) fputs(header, f);
  fprintf(f, "module = %s\nenabled = %s\n", c->module, c->enabled ? "true" : "false");
  if (c->mime) fprintf(f, "mime = %s\n", c->mime);
  fprintf(f, "name = %s\nabi = %s\nkinds = %s\nextensions = %s\noptions = %s\nprobe = %s\n",
          c->name, c->abi, c->kinds, c->extensions, c->options, c->probe);
  fprintf(f, "description = %s\n", c->description);
  return fflush(f) == 0 && !ferror(f) ? CX_OK : CX_FAILED;
}

char *cxh_conf_disagreement(const struct cxh_conf *conf, const struct cxh_conf *desc) {
  const char *keys[4];
  size_t n = 0;
  if (conf->kinds && cxh_kinds_of(conf->kinds) != cxh_kinds_of(desc->kinds)) keys[n++] = "kinds";
  if (conf->extensions && strcasecmp(conf->extensions, desc->extensions) != 0)
    keys[n++] = "extensions";
  if (conf->options && strcmp(conf->options, desc->options) != 0) keys[n++] = "options";
  if (conf->probe && strcmp(conf->probe, desc->probe) != 0) keys[n++] = "probe";
  char buf[64] = "";
  for (size_t i = 0; i < n; i++) {
    if (i) strcat(buf, ", ");
    strcat(buf, keys[i]);
  }
  return strdup(buf);
}

bool cxh_list_has(const char *list, const char *item, size_t len, bool exact, bool *has_arg) {
  for (const char *p = list; p && *p;) {
    while (*p == ' ' || *p == ',')
      p++;
    size_t n = strcspn(p, ",= ");
    if (n == len && (exact ? strncmp(p, item, len) : strncasecmp(p, item, len)) == 0) {
      if (has_arg) *has_arg = p[n] == '=';
      return true;
    }
    p += strcspn(p, ",");
  }
  return false;
}

/* checks.c - what is checked before a run opens its output: the options
 * handed to plugins (-O, max-cable-size, names no plugin knows), an output
 * or an --errors log that would replace an input (or each other), and the
 * output directory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run_internal.h"

/* A usage error (reported): the run does not start. */
static int refuse(const char *fmt, const char *arg) CX_PRINTF(1, 0);
static int refuse(const char *fmt, const char *arg) {
  char msg[CX_MSG_MAX];
  snprintf(msg, sizeof msg, fmt, arg);
  cxr_usage_error(NULL, "%s", msg);
  return CX_FAILED;
}

/* Creates dir and its parents (mkdir -p). */
int cxr_make_dirs(const char *dir) {
  char *p = strdup(dir);
  if (!p) return -1;
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
  free(p);
  return rc;
}

/* Whether plugin entry e takes option doc in this run: as the reader -f
 * names (any reader without -f), or as the writer or the bundle writer.
 * An option whose help starts "read:" or "write:" is for that side only. */
static bool of_this_run(const struct run *r, const struct cxh_plugin_entry *e,
                        const struct cx_option_doc *doc) {
  const struct cxr_run_args *a = r->args;
  bool read_only = doc->help && !strncmp(doc->help, "read:", 5);
  bool write_only = doc->help && !strncmp(doc->help, "write:", 6);
  const struct cx_plugin *writers[] = {a->output ? a->output->writer : NULL,
                                       a->output ? a->output->bundle : NULL};
  if (!write_only) {
    if (!a->reader && cxh_entry_has_kinds(e, CX_KIND_INPUT)) return true;
    if (a->reader && e->name && a->reader->name && !strcmp(a->reader->name, e->name)) return true;
  }
  for (size_t i = 0; i < 2 && !read_only; i++)
    if (writers[i] && e->name && writers[i]->name && !strcmp(writers[i]->name, e->name))
      return true;
  return false;
}

/* The environment variables that tune gzip: a value they do not take is
 * said, not silently ignored. */
static void check_env(const struct run *r) {
  const char *v = getenv("CABLEX_GZIP_LEVEL");
  if (r->quiet) return;
  if (v && !(v[0] >= '0' && v[0] <= '9' && !v[1]))
    cxr_say("warning: CABLEX_GZIP_LEVEL='%s' is not a level 0 to 9: ignored (the default "
            "level is used)",
            v);
  v = getenv("CABLEX_GZIP");
  if (v && strcmp(v, "zlib") != 0)
    cxr_say("warning: CABLEX_GZIP='%s' is not 'zlib' (the only value it takes): ignored", v);
}

/* Builds the options plugins see: -O values, then max-cable-size. */
int cxr_build_options(struct run *r) {
  const struct cxr_run_args *a = r->args;
  r->opts = cx_options_new();
  if (!r->opts) return refuse("%s", "out of memory");
  for (size_t i = 0; i < a->noptions; i++) {
    int rc = cx_options_parse(r->opts, a->options[i]);
    if (rc == CX_FAILED) return refuse("bad option '-O %s': expected NAME[=VALUE]", a->options[i]);
    if (rc != CX_OK) return refuse("%s", "out of memory");
  }
  char size[32];
  snprintf(size, sizeof size, "%zu", a->max_cable_size ? a->max_cable_size : CX_DEFAULT_CABLE_MAX);
  if (cx_options_set(r->opts, "max-cable-size", size) != CX_OK)
    return refuse("%s", "out of memory");

  /* An option no loaded plugin knows is most likely a typo; one that only
   * a plugin outside this run knows does nothing. */
  for (size_t i = 0; i < a->noptions && !r->quiet; i++) {
    const char *name = NULL, *value = NULL;
    if (!cx_options_at(r->opts, i, &name, &value)) break;
    const char *other = NULL;
    bool used = false;
    for (size_t k = 0; k < cxh_registry_count(r->reg) && !used; k++) {
      const struct cxh_plugin_entry *e = cxh_registry_at(r->reg, k);
      const struct cx_option_doc *doc =
          cxh_entry_usable(e) ? cxh_entry_option(e, name, strlen(name)) : NULL;
      if (doc && !doc->help && e->name) {
        /* known from its conf only: load it to learn the option's side */
        const struct cx_plugin *p = cxh_registry_find(r->reg, e->name, 0);
        for (const struct cx_option_doc *d = p ? p->options : NULL; d && d->name; d++)
          if (!strcmp(d->name, name)) doc = d;
      }
      if (!doc) continue;
      if (of_this_run(r, e, doc))
        used = true;
      else if (!other)
        other = e->name;
    }
    if (used) continue;
    if (other)
      cxr_say("warning: option '%s' does nothing here: plugin %s takes it, and it is not the "
              "reader or writer of this run",
              name, other);
    else
      cxr_say("warning: option '%s' is not used by any loaded plugin", name);
  }
  check_env(r);
  return CX_OK;
}

/* The directory that holds path ("." for a bare name); NULL when out of
 * memory. */
static char *parent_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* True when path names the file st describes (same device and inode). */
static bool same_file(const char *path, const struct stat *st) {
  struct stat o;
  return stat(path, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
}

/* Refuses an output that would replace an input: the -o file itself (a run
 * with a failed cable would lose that cable for good), or in directory mode
 * a file right in the output directory (a cable's file could replace it
 * before it is read).  Returns CX_OK or CX_FAILED (reported). */
int cxr_check_output_not_input(const struct sink *s, const struct inputs *in) {
  const char *out = s->dir ? s->dir : s->path;
  struct stat ost;
  if (strcmp(out, "-") == 0 || stat(out, &ost) != 0) return CX_OK;
  if (!s->dir && !S_ISREG(ost.st_mode)) return CX_OK; /* /dev/null, a FIFO */
  for (size_t i = 0; i < in->n; i++) {
    const char *p = in->v[i].path;
    if (strcmp(p, "-") == 0) continue;
    if (!s->dir) {
      if (!same_file(p, &ost)) continue;
      cxr_usage_error(NULL,
                      "the output %s is also an input (%s): refusing to replace it; "
                      "write to another file",
                      s->path, p);
      return CX_FAILED;
    }
    char *parent = parent_of(p);
    bool inside = parent && same_file(parent, &ost);
    free(parent);
    if (!inside) continue;
    cxr_usage_error(NULL,
                    "the output directory %s holds the input %s, which a cable's file "
                    "could replace before it is read: write to another directory",
                    s->dir, p);
    return CX_FAILED;
  }
  return CX_OK;
}

/* Whether the files a and b are one: the same device and inode when both
 * exist, else the same name once their directories are resolved (neither
 * has been created yet, or one is about to be). */
static bool same_target(const char *a, const char *b) {
  struct stat sa, sb;
  bool ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
  if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (ea != eb) return false;
  char *ra = NULL, *rb = NULL;
  bool same = false;
  const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
  char *da = parent_of(a), *db = parent_of(b);
  if (da && db && (ra = realpath(da, NULL)) && (rb = realpath(db, NULL)))
    same = !strcmp(ra, rb) && !strcmp(ba ? ba + 1 : a, bb ? bb + 1 : b);
  free(da);
  free(db);
  free(ra);
  free(rb);
  return same;
}

/* A regular file (or a name not created yet): what a log written there
 * would replace.  Devices, FIFOs and standard output replace nothing. */
static bool replaceable(const char *path) {
  struct stat st;
  if (!strcmp(path, "-")) return false;
  return stat(path, &st) != 0 || S_ISREG(st.st_mode);
}

int cxr_check_errors_path(const struct sink *s, const struct inputs *in, const char *errors) {
  if (!errors || !replaceable(errors)) return CX_OK;
  for (size_t i = 0; i < in->n; i++) {
    const char *p = in->v[i].path;
    if (strcmp(p, "-") == 0 || !same_target(p, errors)) continue;
    cxr_usage_error(NULL,
                    "--errors %s is also an input (%s): refusing to replace it; "
                    "write the log to another file",
                    errors, p);
    return CX_FAILED;
  }
  if (!s->dir && strcmp(s->path, "-") != 0 && same_target(s->path, errors)) {
    cxr_usage_error(NULL,
                    "--errors %s is also the output (-o %s): one would replace the other; "
                    "write the log to another file",
                    errors, s->path);
    return CX_FAILED;
  }
  return CX_OK;
}

/* registry.c - plugin discovery (plugins.d confs and bare modules), the
 * lookups by name and extension, and loading on demand: a plugin its conf
 * describes is opened only when a run chooses it (module.c opens it).
 * See registry.h for the search order and conf.h for the conf format. */
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ltdl.h>

#include "cx_config.h"
#include "conf.h"
#include "registry_internal.h"

static int grow(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *p = realloc(*v, ncap * size);
  if (!p) return -1;
  *v = p;
  *cap = ncap;
  return 0;
}

void cxh_warn_at(struct cxh_registry *reg, const char *file, unsigned long line, const char *fmt,
                 ...) {
  char msg[CX_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct cx_ctx ctx = {0};
  ctx.file = file;
  ctx.report = reg->report;
  ctx.report_user = reg->report_user;
  cx_warn(&ctx, line, "%s", msg);
}

struct cxh_registry *cxh_registry_new(cx_report_fn report, void *report_user) {
  struct cxh_registry *reg = calloc(1, sizeof *reg);
  if (!reg) return NULL;
  reg->report = report;
  reg->report_user = report_user;
  if (lt_dlinit() != 0) {
    free(reg);
    return NULL;
  }
  reg->ltdl_up = true;
  return reg;
}

static void entry_clear(struct cxh_plugin_entry *e) {
  free(e->name);
  free(e->file);
  free(e->module);
  free(e->kinds);
  free(e->extensions);
  free(e->abi);
  free(e->options);
  free(e->probe);
  free(e->mime);
  free(e->description);
  free(e->why);
  free(e->disagrees);
}

void cxh_registry_free(struct cxh_registry *reg) {
  if (!reg) return;
  for (size_t i = 0; i < reg->n; i++) {
    if (reg->v[i].handle) lt_dlclose((lt_dlhandle)reg->v[i].handle);
    entry_clear(&reg->v[i]);
  }
  free(reg->v);
  for (size_t i = 0; i < reg->ndirs; i++)
    free(reg->dirs[i]);
  free(reg->dirs);
  free(reg->dir_explicit);
  free(reg->seen);
  if (reg->ltdl_up) lt_dlexit();
  free(reg);
}

void cxh_registry_free_for_exit(struct cxh_registry *reg) {
  if (!reg) return;
  for (size_t i = 0; i < reg->n; i++)
    reg->v[i].handle = NULL;
  reg->ltdl_up = false;
  cxh_registry_free(reg);
}

int cxh_registry_add_dir(struct cxh_registry *reg, const char *dir, bool isexplicit) {
  if (!dir || !*dir) return CX_OK;
  if (grow((void **)&reg->dirs, &reg->dircap, reg->ndirs, sizeof *reg->dirs)) return CX_FATAL;
  bool *ex = realloc(reg->dir_explicit, reg->dircap * sizeof *ex);
  if (!ex) return CX_FATAL;
  reg->dir_explicit = ex;
  char *copy = strdup(dir);
  if (!copy) return CX_FATAL;
  reg->dirs[reg->ndirs] = copy;
  reg->dir_explicit[reg->ndirs] = isexplicit;
  reg->ndirs++;
  return CX_OK;
}

/* True when the running program lives in the build tree's binary directory
 * (a build-tree run finds the build's own plugins without installing). */
static bool exe_dir(char *out, size_t size) {
  ssize_t n = readlink("/proc/self/exe", out, size - 1);
  if (n <= 0) return false;
  out[n] = '\0';
  char *slash = strrchr(out, '/');
  if (!slash) return false;
  if (slash == out) slash++; /* "/cablex": the root */
  *slash = '\0';
  return true;
}

static bool file_id(const char *path, struct cxh_file_id *id) {
  struct stat st;
  if (stat(path, &st) != 0) return false;
  id->dev = st.st_dev;
  id->ino = st.st_ino;
  return true;
}

static bool same_file(struct cxh_file_id a, struct cxh_file_id b) {
  return a.dev == b.dev && a.ino == b.ino;
}

static bool running_from_build_tree(void) {
  char exe[PATH_MAX];
  struct cxh_file_id a, b;
  if (!exe_dir(exe, sizeof exe)) return false;
  return file_id(exe, &a) && file_id(CX_BUILD_BINDIR, &b) && same_file(a, b);
}

/* The installed plugins.d, found relative to the binary (bindir/../lib/...)
 * so that an installed tree still works after being moved or installed with
 * `cmake --install --prefix`; the configured absolute path otherwise. */
static void installed_conf_dir(char *out, size_t size) {
  char exe[PATH_MAX];
  struct stat st;
  if (exe_dir(exe, sizeof exe)) {
    int n = snprintf(out, size, "%s/%s", exe, CX_INSTALL_CONF_REL);
    if (n > 0 && (size_t)n < size && stat(out, &st) == 0 && S_ISDIR(st.st_mode)) return;
  }
  snprintf(out, size, "%s", CX_INSTALL_CONF_DIR);
}

int cxh_registry_add_default_dirs(struct cxh_registry *reg) {
  const char *path = getenv("CABLEX_PLUGIN_PATH");
  if (path) {
    char *copy = strdup(path);
    if (!copy) return CX_FATAL;
    char *save = NULL;
    for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
      if (p[0] != '/') {
        cxh_warn_at(reg, "CABLEX_PLUGIN_PATH", 0, "ignoring relative directory '%s'", p);
        continue;
      }
      if (cxh_registry_add_dir(reg, p, true) != CX_OK) {
        free(copy);
        return CX_FATAL;
      }
    }
    free(copy);
  }

  /* XDG base directory spec: an unset, empty or relative value means the default. */
  const char *xdg = getenv("XDG_CONFIG_HOME");
  const char *home = getenv("HOME");
  char *user = NULL;
  if (xdg && xdg[0] == '/')
    user = cxh_xprintf("%s/cablex/plugins.d", xdg);
  else if (home && home[0] == '/')
    user = cxh_xprintf("%s/.config/cablex/plugins.d", home);
  if (user) {
    int rc = cxh_registry_add_dir(reg, user, false);
    free(user);
    if (rc != CX_OK) return rc;
  }

  if (running_from_build_tree()) return cxh_registry_add_dir(reg, CX_BUILD_CONF_DIR, false);
  char dir[PATH_MAX];
  installed_conf_dir(dir, sizeof dir);
  return cxh_registry_add_dir(reg, dir, false);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool cxh_has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Lists the names in dir ending in ".conf" or ".so", sorted with strcmp
 * (one pass over the directory for both kinds).  Hidden files are left
 * out.  Returns the count, or -1 with errno set. */
/* Opens dir and puts its canonical name in real: the kernel's name for the
 * open directory (one readlink) rather than realpath()'s readlink of every
 * component; realpath() where /proc is not mounted.  NULL with errno. */
static DIR *open_dir_real(const char *dir, char real[PATH_MAX]) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return NULL;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, real, PATH_MAX - 1);
  if (n > 0 && n < PATH_MAX - 1 && real[0] == '/')
    real[n] = '\0';
  else if (!realpath(dir, real)) {
    int e = errno;
    close(fd);
    errno = e;
    return NULL;
  }
  DIR *d = fdopendir(fd);
  if (!d) {
    int e = errno;
    close(fd);
    errno = e;
  }
  return d;
}

/* The .conf and .so names in the open directory d, sorted; closes d. */
static long list_dir(DIR *d, char ***out) {
  *out = NULL;
  char **v = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.' ||
        !(cxh_has_suffix(de->d_name, ".conf") || cxh_has_suffix(de->d_name, ".so")))
      continue;
    if (grow((void **)&v, &cap, n, sizeof *v) || !(v[n] = strdup(de->d_name))) {
      for (size_t i = 0; i < n; i++)
        free(v[i]);
      free(v);
      closedir(d);
      errno = ENOMEM;
      return -1;
    }
    n++;
  }
  closedir(d);
  if (n) qsort(v, n, sizeof *v, cmp_str);
  *out = v;
  return (long)n;
}

static void free_list(char **v, long n) {
  for (long i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

static bool seen(const struct cxh_registry *reg, struct cxh_file_id id) {
  for (size_t i = 0; i < reg->nseen; i++)
    if (same_file(reg->seen[i], id)) return true;
  return false;
}

/* Claims the module at path for the entry being read.  *was: whether it
 * had been claimed already (then nothing changes); false when there is no
 * file there to claim. */
static int mark_seen(struct cxh_registry *reg, const char *path, bool *was) {
  struct cxh_file_id id;
  *was = false;
  if (!file_id(path, &id)) return CX_OK; /* nothing there to claim */
  if ((*was = seen(reg, id))) return CX_OK;
  if (grow((void **)&reg->seen, &reg->seencap, reg->nseen, sizeof *reg->seen)) return CX_FATAL;
  reg->seen[reg->nseen++] = id;
  return CX_OK;
}

static struct cxh_plugin_entry *new_entry(struct cxh_registry *reg) {
  if (grow((void **)&reg->v, &reg->cap, reg->n, sizeof *reg->v)) return NULL;
  struct cxh_plugin_entry *e = &reg->v[reg->n++];
  memset(e, 0, sizeof *e);
  return e;
}

/* The entry other than self that owns name (loaded, found or disabled: a
 * refused plugin does not keep a later one of the same name from loading),
 * or NULL. */
static struct cxh_plugin_entry *claimed(const struct cxh_registry *reg, const char *name,
                                        const struct cxh_plugin_entry *self) {
  for (size_t i = 0; i < reg->n; i++) {
    struct cxh_plugin_entry *e = &reg->v[i];
    if (e != self && e->name && strcmp(e->name, name) == 0 &&
        (e->status == CXH_PLUGIN_LOADED || e->status == CXH_PLUGIN_FOUND ||
         e->status == CXH_PLUGIN_DISABLED))
      return e;
  }
  return NULL;
}

int cxh_refuse(struct cxh_plugin_entry *e, const char *fmt, ...) {
  char msg[CX_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  e->status = CXH_PLUGIN_REFUSED;
  free(e->why);
  e->why = strdup(msg);
  return e->why ? CX_OK : CX_FATAL;
}

/* Fills e from a conf read without error (c's strings change hands). */
static int take_conf(struct cxh_registry *reg, struct cxh_plugin_entry *e, const char *dir,
                     struct cxh_conf *c) {
  e->from_conf = true;
  e->name = c->name;
  e->kinds = c->kinds;
  e->extensions = c->extensions;
  e->options = c->options;
  e->probe = c->probe;
  e->abi = c->abi;
  e->mime = c->mime;
  e->description = c->description;
  e->module = c->module[0] == '/' ? strdup(c->module) : cxh_join(dir, "/", c->module);
  bool enabled = c->enabled;
  free(c->module);
  memset(c, 0, sizeof *c);
  if (!e->module) return CX_FATAL;
  if (!enabled) e->status = CXH_PLUGIN_DISABLED;
  /* A bare scan of the module's directory must not load it a second time. */
  char *so = cxh_has_suffix(e->module, ".so") ? strdup(e->module) : cxh_join(e->module, ".so", "");
  if (!so) return CX_FATAL;
  bool was;
  int rc = mark_seen(reg, so, &was);
  free(so);
  return rc;
}

/* Decides what becomes of an entry read from a conf: shadowed by an
 * earlier one of its name, disabled, found (its conf describes it: opened
 * when chosen) or loaded now. */
static int settle_conf_entry(struct cxh_registry *reg, struct cxh_plugin_entry *e) {
  struct cxh_plugin_entry *winner = claimed(reg, e->name, e);
  if (winner) {
    if (!winner->shadows) winner->shadows = e->file; /* said when it is used */
    e->status = CXH_PLUGIN_SHADOWED;
    e->why = cxh_xprintf("shadowed by %s", winner->file);
    return e->why ? CX_OK : CX_FATAL;
  }
  if (e->status == CXH_PLUGIN_DISABLED) return CX_OK;
  if (reg->lazy && e->kinds) {
    e->status = CXH_PLUGIN_FOUND;
    return CX_OK;
  }
  char *module = strdup(e->module);
  int rc = module ? cxh_load_module(reg, e, module, e->file) : CX_FATAL;
  free(module);
  return rc;
}

static int load_conf(struct cxh_registry *reg, const char *dir, const char *fname) {
  char *path = cxh_join(dir, "/", fname);
  if (!path) return CX_FATAL;
  struct cxh_plugin_entry *e = new_entry(reg);
  if (!e) {
    free(path);
    return CX_FATAL;
  }
  e->file = path;

  struct cxh_conf c;
  char *why = NULL;
  int rc = cxh_conf_read(path, &c, &why, false, reg->report, reg->report_user);
  if (rc != CX_OK) {
    cxh_conf_clear(&c);
    if (rc == CX_FATAL) return rc;
    /* Name it after the file so that the listing says which one it was. */
    size_t n = strlen(fname) - strlen(".conf");
    e->name = strndup(fname, n);
    e->status = CXH_PLUGIN_REFUSED;
    e->why = why;
    return CX_OK;
  }
  rc = take_conf(reg, e, dir, &c);
  return rc == CX_OK ? settle_conf_entry(reg, e) : rc;
}

static int load_bare(struct cxh_registry *reg, const char *dir, const char *fname) {
  char *path = cxh_join(dir, "/", fname);
  if (!path) return CX_FATAL;
  bool was;
  int rc = mark_seen(reg, path, &was);
  if (rc == CX_OK && was) {
    free(path);
    return CX_OK;
  }
  struct cxh_plugin_entry *e = rc == CX_OK ? new_entry(reg) : NULL;
  if (!e) {
    free(path);
    return CX_FATAL;
  }
  e->file = path;
  rc = cxh_load_module(reg, e, path, NULL);
  if (rc != CX_OK) return rc;
  if (e->status != CXH_PLUGIN_LOADED) {
    /* A refused descriptor is not read further: list it by its file name. */
    e->name = strndup(fname, strlen(fname) - strlen(".so"));
    return e->name ? CX_OK : CX_FATAL;
  }

  /* Only now is the name known; unload it again when another one won. */
  struct cxh_plugin_entry *winner = claimed(reg, e->name, e);
  if (winner) {
    if (!winner->shadows) winner->shadows = e->file;
    lt_dlclose((lt_dlhandle)e->handle);
    e->handle = NULL;
    e->plugin = NULL;
    e->status = CXH_PLUGIN_SHADOWED;
    e->why = cxh_xprintf("shadowed by %s", winner->file);
    return e->why ? CX_OK : CX_FATAL;
  }
  return CX_OK;
}

static int scan_dir(struct cxh_registry *reg, const char *dir, bool isexplicit) {
  char real[PATH_MAX];
  DIR *d = open_dir_real(dir, real);
  if (!d) {
    if (isexplicit) cxh_warn_at(reg, dir, 0, "plugin directory: %s", strerror(errno));
    return CX_OK;
  }
  char **names;
  long n = list_dir(d, &names);
  if (n < 0) {
    if (errno == ENOMEM) return CX_FATAL;
    if (isexplicit) cxh_warn_at(reg, dir, 0, "plugin directory: %s", strerror(errno));
    return CX_OK;
  }
  /* The confs first: a module a conf names is not also loaded bare. */
  int rc = CX_OK;
  for (long i = 0; i < n && rc == CX_OK; i++)
    if (cxh_has_suffix(names[i], ".conf")) rc = load_conf(reg, real, names[i]);
  for (long i = 0; i < n && rc == CX_OK; i++)
    if (cxh_has_suffix(names[i], ".so")) rc = load_bare(reg, real, names[i]);
  free_list(names, n);
  return rc;
}

static int registry_read(struct cxh_registry *reg, bool lazy) {
  if (reg->loaded) return CX_OK;
  reg->loaded = true;
  reg->lazy = lazy;
  /* The same directory twice (e.g. a --plugin-dir also in CABLEX_PLUGIN_PATH,
   * or spelt another way) would only shadow itself: scan it once. */
  struct cxh_file_id *done = calloc(reg->ndirs ? reg->ndirs : 1, sizeof *done);
  bool *there = calloc(reg->ndirs ? reg->ndirs : 1, sizeof *there);
  int rc = done && there ? CX_OK : CX_FATAL;
  for (size_t i = 0; i < reg->ndirs && rc == CX_OK; i++) {
    there[i] = file_id(reg->dirs[i], &done[i]);
    bool dup = false;
    for (size_t j = 0; j < i && !dup && there[i]; j++)
      dup = there[j] && same_file(done[i], done[j]);
    if (!dup) rc = scan_dir(reg, reg->dirs[i], reg->dir_explicit[i]);
  }
  free(done);
  free(there);
  return rc;
}

int cxh_registry_load(struct cxh_registry *reg) {
  return registry_read(reg, false);
}

int cxh_registry_scan(struct cxh_registry *reg) {
  return registry_read(reg, true);
}

size_t cxh_registry_count(const struct cxh_registry *reg) {
  return reg->n;
}

const struct cxh_plugin_entry *cxh_registry_at(const struct cxh_registry *reg, size_t i) {
  return i < reg->n ? &reg->v[i] : NULL;
}

size_t cxh_registry_dir_count(const struct cxh_registry *reg) {
  return reg->ndirs;
}

const char *cxh_registry_dir_at(const struct cxh_registry *reg, size_t i) {
  return i < reg->ndirs ? reg->dirs[i] : NULL;
}

size_t cxh_registry_loaded(const struct cxh_registry *reg) {
  size_t n = 0;
  for (size_t i = 0; i < reg->n; i++)
    n += reg->v[i].status == CXH_PLUGIN_LOADED;
  return n;
}

bool cxh_entry_usable(const struct cxh_plugin_entry *e) {
  return e->status == CXH_PLUGIN_LOADED || e->status == CXH_PLUGIN_FOUND;
}

size_t cxh_registry_usable(const struct cxh_registry *reg) {
  size_t n = 0;
  for (size_t i = 0; i < reg->n; i++)
    n += cxh_entry_usable(&reg->v[i]);
  return n;
}

bool cxh_entry_has_kinds(const struct cxh_plugin_entry *e, unsigned kinds) {
  unsigned k = e->plugin ? e->plugin->kinds : cxh_kinds_of(e->kinds);
  return (k & kinds) == kinds;
}

bool cxh_entry_has_ext(const struct cxh_plugin_entry *e, const char *ext) {
  return cxh_list_has(e->extensions, ext, strlen(ext), false, NULL);
}

const struct cx_option_doc *cxh_entry_option(const struct cxh_plugin_entry *e, const char *name,
                                             size_t len) {
  static const struct cx_option_doc flag = {"", NULL, NULL}, valued = {"", "VALUE", NULL};
  if (e->plugin) {
    for (const struct cx_option_doc *d = e->plugin->options; d && d->name; d++)
      if (strlen(d->name) == len && strncmp(d->name, name, len) == 0) return d;
    return NULL;
  }
  bool has_arg = false;
  if (!cxh_list_has(e->options, name, len, true, &has_arg)) return NULL;
  return has_arg ? &valued : &flag;
}

bool cxh_entry_may_probe(const struct cxh_plugin_entry *e) {
  if (e->plugin) return e->plugin->probe != NULL;
  return !e->probe || strcmp(e->probe, "false") != 0;
}

/* After entry i was refused on opening, the next entry of its name that it
 * shadowed takes its place (as when every module is loaded at once). */
static int promote(struct cxh_registry *reg, size_t i) {
  const char *name = reg->v[i].name;
  for (size_t j = i + 1; j < reg->n; j++) {
    struct cxh_plugin_entry *e = &reg->v[j];
    if (e->status != CXH_PLUGIN_SHADOWED || !e->name || strcmp(e->name, name) != 0) continue;
    free(e->why);
    e->why = NULL;
    if (e->from_conf && e->kinds) {
      e->status = CXH_PLUGIN_FOUND;
      return CX_OK;
    }
    char *module = strdup(e->module ? e->module : e->file);
    int rc = module ? cxh_load_module(reg, e, module, e->from_conf ? e->file : NULL) : CX_FATAL;
    free(module);
    return rc;
  }
  return CX_OK;
}

const struct cx_plugin *cxh_registry_open(struct cxh_registry *reg, size_t i) {
  if (i >= reg->n) return NULL;
  struct cxh_plugin_entry *e = &reg->v[i];
  if (e->status == CXH_PLUGIN_FOUND) {
    char *module = strdup(e->module);
    int rc = module ? cxh_load_module(reg, e, module, e->file) : CX_FATAL;
    free(module);
    if (rc == CX_FATAL && e->status != CXH_PLUGIN_LOADED) {
      e->status = CXH_PLUGIN_REFUSED;
      if (!e->why) e->why = strdup("out of memory");
    }
    if (e->status == CXH_PLUGIN_REFUSED) {
      cxh_warn_at(reg, NULL, 0, "plugin %s refused: %s", e->name ? e->name : "-",
                  e->why ? e->why : "-");
      promote(reg, i);
    }
  }
  return e->status == CXH_PLUGIN_LOADED ? e->plugin : NULL;
}

const struct cx_plugin *cxh_registry_find(struct cxh_registry *reg, const char *name,
                                          unsigned kinds) {
  for (size_t i = 0; i < reg->n; i++) {
    const struct cxh_plugin_entry *e = &reg->v[i];
    if (!cxh_entry_usable(e) || strcmp(e->name, name) != 0 || !cxh_entry_has_kinds(e, kinds))
      continue;
    const struct cx_plugin *p = cxh_registry_open(reg, i);
    if (p && (p->kinds & kinds) == kinds) return p;
  }
  return NULL;
}

const struct cx_plugin *cxh_registry_by_ext(struct cxh_registry *reg, const char *ext,
                                            unsigned kinds) {
  for (size_t i = 0; i < reg->n; i++) {
    const struct cxh_plugin_entry *e = &reg->v[i];
    if (!cxh_entry_usable(e) || !cxh_entry_has_kinds(e, kinds) || !cxh_entry_has_ext(e, ext))
      continue;
    const struct cx_plugin *p = cxh_registry_open(reg, i);
    if (p && (p->kinds & kinds) == kinds && cxh_entry_has_ext(e, ext)) return p;
  }
  return NULL;
}

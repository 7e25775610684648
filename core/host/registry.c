/* registry.c - plugin discovery (plugins.d confs and bare modules) and
 * loading with libltdl.  See registry.h for the search order and the conf
 * format. */
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
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
#include "registry.h"

/* The size of the v1.0 descriptor: writer_close is its last member, and
 * later minor versions only append after it. */
#define CX_PLUGIN_V1_0_SIZE                                                                        \
  (offsetof(struct cx_plugin, writer_close) + sizeof(((struct cx_plugin *)0)->writer_close))

/* A conf is a handful of short lines; anything bigger is not a conf. */
#define CX_CONF_MAX ((off_t)64 * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define CX_KEEP_MODULES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CX_KEEP_MODULES 1
#endif
#endif

struct cxh_registry {
  struct cxh_plugin_entry *v;
  size_t n, cap;
  char **dirs;
  bool *dir_explicit;
  size_t ndirs, dircap;
  char **seen; /* real paths of modules a conf or a bare scan already claimed */
  size_t nseen, seencap;
  cx_report_fn report;
  void *report_user;
  bool ltdl_up;
  bool loaded;
};

struct conf {
  char *name, *module, *abi, *kinds, *extensions, *mime, *description;
  bool enabled;
};

static int grow(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *p = realloc(*v, ncap * size);
  if (!p) return -1;
  *v = p;
  *cap = ncap;
  return 0;
}

static char *xstrdup(const char *s) {
  return s ? strdup(s) : NULL;
}

static char *xprintf(const char *fmt, ...) CX_PRINTF(1, 2);
static char *xprintf(const char *fmt, ...) {
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

static void warn_at(struct cxh_registry *reg, const char *file, unsigned long line, const char *fmt,
                    ...) CX_PRINTF(4, 5);
static void warn_at(struct cxh_registry *reg, const char *file, unsigned long line, const char *fmt,
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
  free(e->mime);
  free(e->description);
  free(e->why);
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
  for (size_t i = 0; i < reg->nseen; i++)
    free(reg->seen[i]);
  free(reg->seen);
  if (reg->ltdl_up) lt_dlexit();
  free(reg);
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

static bool running_from_build_tree(void) {
  char exe[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
  if (!exe_dir(exe, sizeof exe)) return false;
  if (!realpath(exe, a) || !realpath(CX_BUILD_BINDIR, b)) return false;
  return strcmp(a, b) == 0;
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
        warn_at(reg, "CABLEX_PLUGIN_PATH", 0, "ignoring relative directory '%s'", p);
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
    user = xprintf("%s/cablex/plugins.d", xdg);
  else if (home && home[0] == '/')
    user = xprintf("%s/.config/cablex/plugins.d", home);
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

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Lists the names in dir ending in suffix, sorted with strcmp.  Hidden
 * files are left out.  Returns the count, or -1 with errno set. */
static long list_dir(const char *dir, const char *suffix, char ***out) {
  DIR *d = opendir(dir);
  *out = NULL;
  if (!d) return -1;
  char **v = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix)) continue;
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

static bool seen(const struct cxh_registry *reg, const char *real) {
  for (size_t i = 0; i < reg->nseen; i++)
    if (strcmp(reg->seen[i], real) == 0) return true;
  return false;
}

static int mark_seen(struct cxh_registry *reg, const char *path) {
  char real[PATH_MAX];
  if (!realpath(path, real)) return CX_OK; /* nothing there to claim */
  if (seen(reg, real)) return CX_OK;
  if (grow((void **)&reg->seen, &reg->seencap, reg->nseen, sizeof *reg->seen)) return CX_FATAL;
  if (!(reg->seen[reg->nseen] = strdup(real))) return CX_FATAL;
  reg->nseen++;
  return CX_OK;
}

static struct cxh_plugin_entry *new_entry(struct cxh_registry *reg) {
  if (grow((void **)&reg->v, &reg->cap, reg->n, sizeof *reg->v)) return NULL;
  struct cxh_plugin_entry *e = &reg->v[reg->n++];
  memset(e, 0, sizeof *e);
  return e;
}

/* The entry other than self that owns name (loaded or disabled: a refused
 * plugin does not keep a later one of the same name from loading), or NULL. */
static const struct cxh_plugin_entry *claimed(const struct cxh_registry *reg, const char *name,
                                              const struct cxh_plugin_entry *self) {
  for (size_t i = 0; i < reg->n; i++) {
    const struct cxh_plugin_entry *e = &reg->v[i];
    if (e != self && e->name && strcmp(e->name, name) == 0 &&
        (e->status == CXH_PLUGIN_LOADED || e->status == CXH_PLUGIN_DISABLED))
      return e;
  }
  return NULL;
}

static int refuse(struct cxh_plugin_entry *e, const char *fmt, ...) CX_PRINTF(2, 3);
static int refuse(struct cxh_plugin_entry *e, const char *fmt, ...) {
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

static char *kinds_text(unsigned kinds) {
  char buf[64] = "";
  if (kinds & CX_KIND_INPUT) strcat(buf, ",input");
  if (kinds & CX_KIND_OUTPUT) strcat(buf, ",output");
  if (kinds & CX_KIND_CONTAINER) strcat(buf, ",container");
  return strdup(buf[0] ? buf + 1 : "-");
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

/* Checks a descriptor before anything beyond its first members is read.
 * Sets *ok when it is acceptable, else records the refusal on e. */
static int check_descriptor(struct cxh_plugin_entry *e, const char *file, const struct cx_plugin *p,
                            bool *ok) {
  *ok = false;
  if (p->abi_major != CX_ABI_MAJOR || p->abi_minor > CX_ABI_MINOR)
    return refuse(e, "plugin %s: ABI %u.%u, cablex supports %d.%d", file, p->abi_major,
                  p->abi_minor, CX_ABI_MAJOR, CX_ABI_MINOR);
  if (p->struct_size < CX_PLUGIN_V1_0_SIZE)
    return refuse(e, "plugin %s: ABI %u.%u descriptor of %zu bytes, cablex %d.%d needs %zu", file,
                  p->abi_major, p->abi_minor, p->struct_size, CX_ABI_MAJOR, CX_ABI_MINOR,
                  (size_t)CX_PLUGIN_V1_0_SIZE);
  if (!p->name || !p->name[0]) return refuse(e, "plugin %s: the descriptor has no name", file);
  for (const char *c = p->name; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
      return refuse(e, "plugin %s: bad plugin name", file);
  if (!(p->kinds & (CX_KIND_INPUT | CX_KIND_OUTPUT | CX_KIND_CONTAINER)))
    return refuse(e, "plugin %s: '%s' declares no kind", file, p->name);
  if ((p->kinds & CX_KIND_INPUT) && (!p->reader_open || !p->reader_next || !p->reader_close))
    return refuse(e, "plugin %s: '%s' is an input plugin without a reader", file, p->name);
  if ((p->kinds & CX_KIND_OUTPUT) && (!p->writer_open || !p->writer_write || !p->writer_close))
    return refuse(e, "plugin %s: '%s' is an output plugin without a writer", file, p->name);
  *ok = true;
  return CX_OK;
}

/* Opens a module with local symbols.  A path without extension gets
 * "<path>.so" when that file exists, so that a stale .la beside it cannot
 * win; otherwise ltdl tries its own extensions (.la, then .so). */
static lt_dlhandle open_module(const char *path, char **opened, const char **err) {
  lt_dladvise advise;
  lt_dlhandle h = NULL;
  *err = NULL;
  *opened = NULL;
  if (lt_dladvise_init(&advise)) {
    *err = lt_dlerror();
    return NULL;
  }
  lt_dladvise_ext(&advise);
  lt_dladvise_local(&advise);
  char *so = NULL;
  struct stat st;
  if (!has_suffix(path, ".so") && !has_suffix(path, ".la")) {
    so = xprintf("%s.so", path);
    if (so && stat(so, &st) != 0) {
      free(so);
      so = NULL;
    }
  }
  const char *target = so ? so : path;
  h = lt_dlopenadvise(target, advise);
  if (!h) {
    *err = lt_dlerror();
    /* ltdl says "file not found" whatever went wrong; the dynamic loader
     * knows better ("invalid ELF header", "undefined symbol: x"). */
    if (stat(target, &st) == 0) {
      void *d = dlopen(target, RTLD_LAZY | RTLD_LOCAL);
      if (d)
        dlclose(d);
      else if ((*err = dlerror())) {
        size_t n = strlen(target);
        if (strncmp(*err, target, n) == 0 && strncmp(*err + n, ": ", 2) == 0) *err += n + 2;
      }
    }
  }
  lt_dladvise_destroy(&advise);
#ifdef CX_KEEP_MODULES
  /* Under ASan a module unloaded before exit loses its frames in leak
   * reports.  lt_dladvise_resident would keep it, but lt_dlexit then leaks
   * ltdl's own handle; pinning the loaded object with RTLD_NODELETE keeps
   * the module mapped while ltdl still frees everything it allocated. */
  const lt_dlinfo *info = h ? lt_dlgetinfo(h) : NULL;
  if (info && info->filename) dlopen(info->filename, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
#endif
  *opened = so ? so : strdup(path);
  return h;
}

/* Loads e's module and fills e from its descriptor.  conf_abi / conf_name
 * are what a conf said (or NULL).  conf_file is for warnings. */
static int load_module(struct cxh_registry *reg, struct cxh_plugin_entry *e, const char *path,
                       const char *conf_file, const char *conf_name, const char *conf_abi) {
  const char *err = NULL;
  char *opened = NULL;
  lt_dlhandle h = open_module(path, &opened, &err);
  free(e->module);
  e->module = opened;
  if (!e->module) return CX_FATAL;
  if (!h) return refuse(e, "plugin %s: cannot load it: %s", e->module, err ? err : "not a library");

  const struct cx_plugin *p = lt_dlsym(h, CX_PLUGIN_SYMBOL);
  bool ok = false;
  int rc = CX_OK;
  if (!p)
    rc = refuse(e, "plugin %s: no %s descriptor: not a cablex plugin", e->module, CX_PLUGIN_SYMBOL);
  else
    rc = check_descriptor(e, e->module, p, &ok);
  if (ok && conf_name && strcmp(conf_name, p->name) != 0) {
    rc = refuse(e, "plugin %s: %s says name = %s but the module is '%s'", e->module, conf_file,
                conf_name, p->name);
    ok = false;
  }
  if (!ok) {
    /* Keep version and name for the listing when the descriptor had them. */
    if (p && !e->abi) e->abi = xprintf("%u.%u", p->abi_major, p->abi_minor);
    lt_dlclose(h);
    return rc;
  }

  free(e->abi);
  e->abi = xprintf("%u.%u", p->abi_major, p->abi_minor);
  if (conf_abi && e->abi && strcmp(conf_abi, e->abi) != 0)
    warn_at(reg, conf_file, 0, "abi = %s, but %s was built for ABI %s", conf_abi, e->module,
            e->abi);
  free(e->name);
  free(e->kinds);
  free(e->extensions);
  e->name = strdup(p->name);
  e->kinds = kinds_text(p->kinds);
  e->extensions = extensions_text(p->extensions);
  if (p->description) {
    free(e->description);
    e->description = strdup(p->description);
  }
  e->plugin = p;
  e->handle = h;
  e->status = CXH_PLUGIN_LOADED;
  if (!e->name || !e->kinds || !e->extensions || !e->abi) return CX_FATAL;
  return CX_OK;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  return s;
}

static void conf_clear(struct conf *c) {
  free(c->name);
  free(c->module);
  free(c->abi);
  free(c->kinds);
  free(c->extensions);
  free(c->mime);
  free(c->description);
}

/* Reads a conf.  Returns CX_OK, CX_FAILED with *why set (the conf is
 * unusable), or CX_FATAL when out of memory. */
static int parse_conf(struct cxh_registry *reg, const char *path, struct conf *c, char **why) {
  memset(c, 0, sizeof *c);
  c->enabled = true;
  *why = NULL;
  FILE *f = fopen(path, "r");
  if (!f) {
    *why = xprintf("%s: %s", path, strerror(errno));
    return *why ? CX_FAILED : CX_FATAL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && st.st_size > CX_CONF_MAX) {
    fclose(f);
    *why = xprintf("%s: too big for a plugin conf", path);
    return *why ? CX_FAILED : CX_FATAL;
  }
  char *line = NULL;
  size_t cap = 0;
  unsigned long lineno = 0;
  int rc = CX_OK;
  while (rc == CX_OK && getline(&line, &cap, f) >= 0) {
    lineno++;
    char *s = trim(line);
    if (!*s || *s == '#') continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      *why = xprintf("%s:%lu: not a 'key = value' line", path, lineno);
      rc = *why ? CX_FAILED : CX_FATAL;
      break;
    }
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    char **dst = NULL;
    if (strcmp(key, "name") == 0)
      dst = &c->name;
    else if (strcmp(key, "module") == 0)
      dst = &c->module;
    else if (strcmp(key, "abi") == 0)
      dst = &c->abi;
    else if (strcmp(key, "kinds") == 0)
      dst = &c->kinds;
    else if (strcmp(key, "extensions") == 0)
      dst = &c->extensions;
    else if (strcmp(key, "mime") == 0)
      dst = &c->mime;
    else if (strcmp(key, "description") == 0)
      dst = &c->description;
    else if (strcmp(key, "enabled") == 0) {
      if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1"))
        c->enabled = true;
      else if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0"))
        c->enabled = false;
      else {
        *why = xprintf("%s:%lu: enabled must be true or false", path, lineno);
        rc = *why ? CX_FAILED : CX_FATAL;
      }
      continue;
    } else {
      warn_at(reg, path, lineno, "unknown key '%s' ignored", key);
      continue;
    }
    free(*dst);
    if (!(*dst = strdup(value))) rc = CX_FATAL;
  }
  free(line);
  fclose(f);
  if (rc == CX_OK && (!c->name || !c->name[0])) {
    *why = xprintf("%s: no 'name' line", path);
    rc = *why ? CX_FAILED : CX_FATAL;
  } else if (rc == CX_OK && (!c->module || !c->module[0])) {
    *why = xprintf("%s: no 'module' line", path);
    rc = *why ? CX_FAILED : CX_FATAL;
  }
  return rc;
}

static int load_conf(struct cxh_registry *reg, const char *dir, const char *fname) {
  char *path = xprintf("%s/%s", dir, fname);
  if (!path) return CX_FATAL;
  struct cxh_plugin_entry *e = new_entry(reg);
  if (!e) {
    free(path);
    return CX_FATAL;
  }
  e->file = path;

  struct conf c;
  char *why = NULL;
  int rc = parse_conf(reg, path, &c, &why);
  if (rc != CX_OK) {
    conf_clear(&c);
    if (rc == CX_FATAL) return rc;
    /* Name it after the file so that the listing says which one it was. */
    size_t n = strlen(fname) - strlen(".conf");
    e->name = strndup(fname, n);
    e->status = CXH_PLUGIN_REFUSED;
    e->why = why;
    return CX_OK;
  }
  e->name = c.name;
  e->kinds = c.kinds;
  e->extensions = c.extensions;
  e->abi = c.abi;
  e->mime = c.mime;
  e->description = c.description;
  c.name = c.kinds = c.extensions = c.abi = c.mime = c.description = NULL;
  e->module = c.module[0] == '/' ? strdup(c.module) : xprintf("%s/%s", dir, c.module);
  free(c.module);
  if (!e->module) return CX_FATAL;

  /* A bare scan of the module's directory must not load it a second time. */
  char *so = has_suffix(e->module, ".so") ? strdup(e->module) : xprintf("%s.so", e->module);
  if (!so) return CX_FATAL;
  rc = mark_seen(reg, so);
  free(so);
  if (rc != CX_OK) return rc;

  const struct cxh_plugin_entry *winner = claimed(reg, e->name, e);
  if (winner) {
    e->status = CXH_PLUGIN_SHADOWED;
    e->why = xprintf("shadowed by %s", winner->file);
    return e->why ? CX_OK : CX_FATAL;
  }
  if (!c.enabled) {
    e->status = CXH_PLUGIN_DISABLED;
    return CX_OK;
  }
  char *conf_name = strdup(e->name), *conf_abi = xstrdup(e->abi), *module = strdup(e->module);
  if (!conf_name || !module || (e->abi && !conf_abi)) rc = CX_FATAL;
  if (rc == CX_OK) rc = load_module(reg, e, module, path, conf_name, conf_abi);
  free(conf_name);
  free(conf_abi);
  free(module);
  return rc;
}

static int load_bare(struct cxh_registry *reg, const char *dir, const char *fname) {
  char *path = xprintf("%s/%s", dir, fname);
  if (!path) return CX_FATAL;
  char real[PATH_MAX];
  if (realpath(path, real) && seen(reg, real)) {
    free(path);
    return CX_OK;
  }
  int rc = mark_seen(reg, path);
  struct cxh_plugin_entry *e = rc == CX_OK ? new_entry(reg) : NULL;
  if (!e) {
    free(path);
    return CX_FATAL;
  }
  e->file = path;
  rc = load_module(reg, e, path, path, NULL, NULL);
  if (rc != CX_OK) return rc;
  if (e->status != CXH_PLUGIN_LOADED) {
    /* A refused descriptor is not read further: list it by its file name. */
    e->name = strndup(fname, strlen(fname) - strlen(".so"));
    return e->name ? CX_OK : CX_FATAL;
  }

  /* Only now is the name known; unload it again when another one won. */
  const struct cxh_plugin_entry *winner = claimed(reg, e->name, e);
  if (winner) {
    lt_dlclose((lt_dlhandle)e->handle);
    e->handle = NULL;
    e->plugin = NULL;
    e->status = CXH_PLUGIN_SHADOWED;
    e->why = xprintf("shadowed by %s", winner->file);
    return e->why ? CX_OK : CX_FATAL;
  }
  return CX_OK;
}

static int scan_dir(struct cxh_registry *reg, const char *dir, bool isexplicit) {
  char real[PATH_MAX];
  if (!realpath(dir, real)) {
    if (isexplicit) warn_at(reg, dir, 0, "plugin directory: %s", strerror(errno));
    return CX_OK;
  }
  char **names;
  long n = list_dir(real, ".conf", &names);
  if (n < 0) {
    if (errno == ENOMEM) return CX_FATAL;
    if (isexplicit) warn_at(reg, dir, 0, "plugin directory: %s", strerror(errno));
    return CX_OK;
  }
  int rc = CX_OK;
  for (long i = 0; i < n && rc == CX_OK; i++)
    rc = load_conf(reg, real, names[i]);
  free_list(names, n);
  if (rc != CX_OK) return rc;

  n = list_dir(real, ".so", &names);
  if (n < 0) return errno == ENOMEM ? CX_FATAL : CX_OK;
  for (long i = 0; i < n && rc == CX_OK; i++)
    rc = load_bare(reg, real, names[i]);
  free_list(names, n);
  return rc;
}

int cxh_registry_load(struct cxh_registry *reg) {
  if (reg->loaded) return CX_OK;
  reg->loaded = true;
  /* The same directory twice (e.g. a --plugin-dir also in CABLEX_PLUGIN_PATH,
   * or spelt another way) would only shadow itself: scan it once. */
  char **done = calloc(reg->ndirs ? reg->ndirs : 1, sizeof *done);
  if (!done) return CX_FATAL;
  int rc = CX_OK;
  for (size_t i = 0; i < reg->ndirs && rc == CX_OK; i++) {
    done[i] = realpath(reg->dirs[i], NULL);
    bool dup = false;
    for (size_t j = 0; j < i && !dup && done[i]; j++)
      dup = done[j] && strcmp(done[i], done[j]) == 0;
    if (!dup) rc = scan_dir(reg, reg->dirs[i], reg->dir_explicit[i]);
  }
  for (size_t i = 0; i < reg->ndirs; i++)
    free(done[i]);
  free(done);
  return rc;
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

const struct cx_plugin *cxh_registry_find(const struct cxh_registry *reg, const char *name,
                                          unsigned kinds) {
  for (size_t i = 0; i < reg->n; i++) {
    const struct cxh_plugin_entry *e = &reg->v[i];
    if (e->status == CXH_PLUGIN_LOADED && strcmp(e->name, name) == 0 &&
        (e->plugin->kinds & kinds) == kinds)
      return e->plugin;
  }
  return NULL;
}

const struct cx_plugin *cxh_registry_by_ext(const struct cxh_registry *reg, const char *ext,
                                            unsigned kinds) {
  for (size_t i = 0; i < reg->n; i++) {
    const struct cxh_plugin_entry *e = &reg->v[i];
    if (e->status != CXH_PLUGIN_LOADED || (e->plugin->kinds & kinds) != kinds) continue;
    for (const char *const *x = e->plugin->extensions; x && *x; x++)
      if (strcasecmp(*x, ext) == 0) return e->plugin;
  }
  return NULL;
}

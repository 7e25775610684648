/* module.c - opening one plugin module with libltdl and accepting its
 * descriptor: the ABI and model layout gate, the checks of its members,
 * and the comparison with the conf that described it. */
#include <ctype.h>
#include <limits.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ltdl.h>

#include "conf.h"
#include "registry_internal.h"

/* The size of the v1.0 descriptor: writer_close is its last member, and
 * later minor versions only append after it. */
#define CX_PLUGIN_V1_0_SIZE                                                                        \
  (offsetof(struct cx_plugin, writer_close) + sizeof(((struct cx_plugin *)0)->writer_close))
/* ABI 1.2 added the model layout (buf_size is its last member). */
#define CX_PLUGIN_V1_2_SIZE                                                                        \
  (offsetof(struct cx_plugin, buf_size) + sizeof(((struct cx_plugin *)0)->buf_size))

#if defined(__SANITIZE_ADDRESS__)
#define CX_KEEP_MODULES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CX_KEEP_MODULES 1
#endif
#endif

/* The model layout the plugin was built against must be cablex's: the
 * structs it reads and fills (cx_cable, cx_ctx, cx_buf) are shared.  A
 * plugin from before ABI 1.2 recorded none: it was built for layout 1. */
static int check_model(struct cxh_plugin_entry *e, const char *file, const struct cx_plugin *p) {
  if (p->abi_minor < 2) {
    if (CX_MODEL_LAYOUT == 1) return CX_OK;
    return cxh_refuse(e,
                      "plugin %s: ABI %u.%u, built for model layout 1; cablex has model layout %d: "
                      "rebuild the plugin",
                      file, p->abi_major, p->abi_minor, CX_MODEL_LAYOUT);
  }
  if (p->struct_size < CX_PLUGIN_V1_2_SIZE)
    return cxh_refuse(e, "plugin %s: ABI %u.%u descriptor of %zu bytes, ABI 1.2 needs %zu", file,
                      p->abi_major, p->abi_minor, p->struct_size, (size_t)CX_PLUGIN_V1_2_SIZE);
  if (p->model_layout != CX_MODEL_LAYOUT || p->cable_size != sizeof(struct cx_cable) ||
      p->ctx_size != sizeof(struct cx_ctx) || p->buf_size != sizeof(struct cx_buf))
    return cxh_refuse(e,
                      "plugin %s: built for model layout %u (cx_cable %zu, cx_ctx %zu, cx_buf %zu "
                      "bytes); cablex has model layout %d (%zu, %zu, %zu): rebuild the plugin",
                      file, p->model_layout, p->cable_size, p->ctx_size, p->buf_size,
                      CX_MODEL_LAYOUT, sizeof(struct cx_cable), sizeof(struct cx_ctx),
                      sizeof(struct cx_buf));
  return CX_OK;
}

/* Checks a descriptor before anything beyond its first members is read.
 * Sets *ok when it is acceptable, else records the refusal on e. */
static int check_descriptor(struct cxh_plugin_entry *e, const char *file, const struct cx_plugin *p,
                            bool *ok) {
  *ok = false;
  if (p->abi_major != CX_ABI_MAJOR || p->abi_minor > CX_ABI_MINOR)
    return cxh_refuse(e, "plugin %s: ABI %u.%u, cablex supports %d.%d", file, p->abi_major,
                      p->abi_minor, CX_ABI_MAJOR, CX_ABI_MINOR);
  if (p->struct_size < CX_PLUGIN_V1_0_SIZE)
    return cxh_refuse(e, "plugin %s: ABI %u.%u descriptor of %zu bytes, cablex %d.%d needs %zu",
                      file, p->abi_major, p->abi_minor, p->struct_size, CX_ABI_MAJOR, CX_ABI_MINOR,
                      (size_t)CX_PLUGIN_V1_0_SIZE);
  int rc = check_model(e, file, p);
  if (rc != CX_OK || e->status == CXH_PLUGIN_REFUSED) return rc;
  if (!p->name || !p->name[0]) return cxh_refuse(e, "plugin %s: the descriptor has no name", file);
  for (const char *c = p->name; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
      return cxh_refuse(e, "plugin %s: bad plugin name", file);
  if (!(p->kinds & (CX_KIND_INPUT | CX_KIND_OUTPUT | CX_KIND_CONTAINER)))
    return cxh_refuse(e, "plugin %s: '%s' declares no kind", file, p->name);
  if ((p->kinds & CX_KIND_INPUT) && (!p->reader_open || !p->reader_next || !p->reader_close))
    return cxh_refuse(e, "plugin %s: '%s' is an input plugin without a reader", file, p->name);
  if ((p->kinds & CX_KIND_OUTPUT) && (!p->writer_open || !p->writer_write || !p->writer_close))
    return cxh_refuse(e, "plugin %s: '%s' is an output plugin without a writer", file, p->name);
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
  if (!cxh_has_suffix(path, ".so") && !cxh_has_suffix(path, ".la")) {
    so = cxh_join(path, ".so", "");
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

/* Compares what the conf said (still in e) with the descriptor (desc):
 * a different abi or other lines are warned about; e->disagrees keeps the
 * keys for `cablex plugins`. */
static int compare_conf(struct cxh_registry *reg, struct cxh_plugin_entry *e, const char *conf_file,
                        const struct cxh_conf *desc) {
  if (e->abi && strcmp(e->abi, desc->abi) != 0)
    cxh_warn_at(reg, conf_file, 0, "abi = %s, but %s was built for ABI %s", e->abi, e->module,
                desc->abi);
  struct cxh_conf conf = {0};
  conf.kinds = e->kinds;
  conf.extensions = e->extensions;
  conf.options = e->options;
  conf.probe = e->probe;
  char *keys = cxh_conf_disagreement(&conf, desc);
  if (!keys) return CX_FATAL;
  if (keys[0]) {
    cxh_warn_at(reg, conf_file, 0,
                "disagrees with its module %s on %s: the module counts (regenerate the conf)",
                e->module, keys);
    e->disagrees = keys;
  } else {
    free(keys);
  }
  return CX_OK;
}

/* Loading a module runs its code (its constructors) with cablex's rights,
 * so a file anyone may replace is refused before it is opened, as ssh
 * refuses such keys: the module or its conf, or the directory either is in,
 * writable by all (a sticky directory, /tmp, too).  CABLEX_PLUGIN_UNSAFE=1
 * loads them anyway.  Returns the reason, or NULL when it is safe. */
static const char *writable_by_all(const char *file, char *why, size_t size) {
  const char *allow = getenv("CABLEX_PLUGIN_UNSAFE");
  if (allow && strcmp(allow, "1") == 0) return NULL;
  struct stat st;
  char *dir = strdup(file), *slash = dir ? strrchr(dir, '/') : NULL;
  if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
  const char *which[] = {file, slash ? dir : "."};
  const char *bad = NULL;
  for (size_t i = 0; i < 2 && !bad; i++)
    if (stat(which[i], &st) == 0 && (st.st_mode & S_IWOTH)) bad = which[i];
  if (bad)
    snprintf(why, size,
             "%s is writable by every user (anyone could replace what runs): not loaded "
             "(CABLEX_PLUGIN_UNSAFE=1 loads it anyway)",
             bad);
  free(dir);
  return bad ? why : NULL;
}

/* Opens the module and checks its descriptor: *p and *h are set when it
 * is acceptable, else e is refused (the module closed again). */
static int open_checked(struct cxh_plugin_entry *e, const char *path, const char *conf_file,
                        const struct cx_plugin **pp, lt_dlhandle *hp) {
  const char *err = NULL;
  char *opened = NULL;
  char why[PATH_MAX + 160];
  const char *unsafe = conf_file ? writable_by_all(conf_file, why, sizeof why) : NULL;
  if (!unsafe) {
    char *so = cxh_has_suffix(path, ".so") || cxh_has_suffix(path, ".la")
                   ? strdup(path)
                   : cxh_join(path, ".so", "");
    struct stat st;
    if (so) unsafe = writable_by_all(stat(so, &st) == 0 ? so : path, why, sizeof why);
    free(so);
  }
  if (unsafe) return cxh_refuse(e, "plugin %s: %s", path, unsafe);
  lt_dlhandle h = open_module(path, &opened, &err);
  free(e->module);
  e->module = opened;
  if (!e->module) return CX_FATAL;
  if (!h)
    return cxh_refuse(e, "plugin %s: cannot load it: %s", e->module, err ? err : "not a library");
  const struct cx_plugin *p = lt_dlsym(h, CX_PLUGIN_SYMBOL);
  bool ok = false;
  int rc = CX_OK;
  if (!p)
    rc = cxh_refuse(e, "plugin %s: no %s descriptor: not a cablex plugin", e->module,
                    CX_PLUGIN_SYMBOL);
  else
    rc = check_descriptor(e, e->module, p, &ok);
  if (ok && conf_file && strcmp(e->name, p->name) != 0) {
    rc = cxh_refuse(e, "plugin %s: %s says name = %s but the module is '%s'", e->module, conf_file,
                    e->name, p->name);
    ok = false;
  }
  if (!ok) {
    /* Keep version and name for the listing when the descriptor had them. */
    if (p && !e->abi) e->abi = cxh_xprintf("%u.%u", p->abi_major, p->abi_minor);
    lt_dlclose(h);
    return rc;
  }
  *pp = p;
  *hp = h;
  return CX_OK;
}

int cxh_load_module(struct cxh_registry *reg, struct cxh_plugin_entry *e, const char *path,
                    const char *conf_file) {
  const struct cx_plugin *p = NULL;
  lt_dlhandle h = NULL;
  int rc = open_checked(e, path, conf_file, &p, &h);
  if (rc != CX_OK || !p) return rc;
  struct cxh_conf desc = {0};
  rc = cxh_conf_describe(&desc, p);
  if (rc == CX_OK && conf_file) rc = compare_conf(reg, e, conf_file, &desc);
  /* Once loaded, the descriptor is what counts. */
  char **mine[] = {&e->name, &e->abi, &e->kinds, &e->extensions, &e->options, &e->probe};
  char **theirs[] = {&desc.name,       &desc.abi,     &desc.kinds,
                     &desc.extensions, &desc.options, &desc.probe};
  for (size_t i = 0; i < sizeof mine / sizeof *mine; i++) {
    free(*mine[i]);
    *mine[i] = *theirs[i];
    *theirs[i] = NULL;
  }
  if (p->description) {
    free(e->description);
    e->description = desc.description;
    desc.description = NULL;
  }
  cxh_conf_clear(&desc);
  e->plugin = p;
  e->handle = h;
  e->status = CXH_PLUGIN_LOADED;
  if (e->shadows && reg->lazy) /* chosen for a run: said once, as it loads */
    cxh_warn_at(reg, e->file, 0, "plugin '%s' is used instead of the one in %s (same name)",
                e->name ? e->name : "?", e->shadows);
  if (rc != CX_OK || !e->name || !e->kinds || !e->extensions || !e->abi) return CX_FATAL;
  return CX_OK;
}

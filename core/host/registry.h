/* registry.h - finds, loads and lists plugins (internal, not installed).
 *
 * Ownership: a struct cxh_registry owns every entry, string and module
 * handle it holds; the descriptors it hands out are borrowed from the loaded
 * modules and stay valid only until cxh_registry_free(), which unloads them.
 *
 * Where plugins come from, in this order (the first plugin of a name wins,
 * later ones are listed as "shadowed by FILE"):
 *   1. each --plugin-dir DIR, in the order given;
 *   2. each absolute directory of CABLEX_PLUGIN_PATH (colon-separated;
 *      empty and relative parts are ignored: never the working directory);
 *   3. $XDG_CONFIG_HOME/cablex/plugins.d (default ~/.config/cablex/plugins.d);
 *   4. the build tree's plugins.d when the running binary is the build
 *      tree's own cablex, else the installed plugins.d.
 * In each directory the *.conf files are read first (in strcmp order of
 * their names), then bare modules (*.so) that no conf named are loaded and
 * described from their descriptor.
 *
 * A plugins.d/NAME.conf holds `key = value` lines; blank lines and lines
 * whose first non-blank character is '#' are ignored:
 *     name        = raw               what -f / -t take (required)
 *     module      = ../plugins/raw    relative to the conf's directory, no
 *                                     extension (".so" is added) (required)
 *     abi         = 1.0               the ABI the module was built for
 *     kinds       = input,output      input, output, container
 *     extensions  = txt               comma-separated, without dots
 *     mime        = text/plain
 *     enabled     = true              false: listed as "disabled", not loaded
 *     description = Raw cable text
 * Once a module is loaded its descriptor is what counts; an abi line that
 * disagrees with it is reported as a warning.
 *
 * ltdl is not thread-safe: every module is loaded by cxh_registry_load()
 * before a conversion starts, and only cxh_registry_free() unloads them.
 */
#ifndef CX_REGISTRY_H
#define CX_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/error.h"
#include "cablex/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxh_plugin_status {
  CXH_PLUGIN_LOADED,
  CXH_PLUGIN_REFUSED, /* why says why; the run goes on without it */
  CXH_PLUGIN_DISABLED,
  CXH_PLUGIN_SHADOWED /* why names the file of the plugin that won */
};

struct cxh_plugin_entry {
  char *name;        /* from the conf, else from the descriptor; may be NULL if refused */
  char *file;        /* the conf file, or the bare module file */
  char *module;      /* the module path as opened (or meant to be), or NULL */
  char *kinds;       /* "input,output" */
  char *extensions;  /* "txt,text" */
  char *abi;         /* "1.0" (the descriptor's once loaded, else the conf's) */
  char *mime;        /* from the conf, or NULL */
  char *description; /* descriptor's, else the conf's, or NULL */
  enum cxh_plugin_status status;
  char *why;                      /* reason for refused / shadowed, else NULL */
  const struct cx_plugin *plugin; /* set when loaded */
  void *handle;                   /* lt_dlhandle, when loaded */
};

struct cxh_registry;

/* Starts ltdl.  report receives warnings (conf problems, missing
 * --plugin-dir directories); NULL means stderr.  Returns NULL when out of
 * memory or when ltdl cannot start. */
struct cxh_registry *cxh_registry_new(cx_report_fn report, void *report_user);
/* Unloads every module (lt_dlexit): nothing from a plugin may be in use. */
void cxh_registry_free(struct cxh_registry *reg);

/* Appends a directory to search.  explicit: a missing directory is worth a
 * warning (a --plugin-dir), not silently skipped (a default). */
int cxh_registry_add_dir(struct cxh_registry *reg, const char *dir, bool isexplicit);
/* Appends CABLEX_PLUGIN_PATH, the XDG directory and the build-tree or
 * installed plugins.d, in that order. */
int cxh_registry_add_default_dirs(struct cxh_registry *reg);
/* Reads every directory and loads every enabled plugin.  Returns CX_OK, or
 * CX_FATAL when out of memory.  Refused plugins are not an error here. */
int cxh_registry_load(struct cxh_registry *reg);

size_t cxh_registry_count(const struct cxh_registry *reg);
const struct cxh_plugin_entry *cxh_registry_at(const struct cxh_registry *reg, size_t i);
/* The directories searched, in order (for messages and the man page). */
size_t cxh_registry_dir_count(const struct cxh_registry *reg);
const char *cxh_registry_dir_at(const struct cxh_registry *reg, size_t i);
/* Number of loaded plugins. */
size_t cxh_registry_loaded(const struct cxh_registry *reg);

/* The loaded plugin called name that has all the kinds bits, or NULL. */
const struct cx_plugin *cxh_registry_find(const struct cxh_registry *reg, const char *name,
                                          unsigned kinds);
/* The first loaded plugin with those kinds that lists ext (case-insensitive,
 * without the dot), or NULL. */
const struct cx_plugin *cxh_registry_by_ext(const struct cxh_registry *reg, const char *ext,
                                            unsigned kinds);

#ifdef __cplusplus
}
#endif
#endif

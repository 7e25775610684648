/* registry.h - finds, loads and lists plugins (internal, not installed).
 *
 * Ownership: a struct cxh_registry owns every entry, string and module
 * handle it holds; the descriptors it hands out are borrowed from the loaded
 * modules and stay valid only until cxh_registry_free(), which unloads them
 * (cxh_registry_free_for_exit() leaves them loaded until the process ends).
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
 * described from their descriptor.  conf.h says what a conf holds.
 *
 * Two ways to read the directories:
 *   cxh_registry_load() opens every enabled module (`cablex plugins`, help);
 *   cxh_registry_scan() opens only what it must: a plugin whose conf
 *     describes it (the generated confs do) stays "found" until a lookup
 *     chooses it (cxh_registry_find, _by_ext, _open); bare modules and
 *     confs without a kinds line are opened at once.
 * Once a module is loaded its descriptor is what counts; a conf that
 * disagrees with it is warned about (and kept in disagrees).
 *
 * ltdl is not thread-safe: modules are loaded only by the thread that reads
 * the registry and looks plugins up (the run's reading thread), and only
 * cxh_registry_free() unloads them.
 */
#ifndef CXH_REGISTRY_H
#define CXH_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/error.h"
#include "cablex/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxh_plugin_status {
  CXH_PLUGIN_LOADED,
  CXH_PLUGIN_FOUND,   /* described by its conf, not opened yet (cxh_registry_scan) */
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
  char *options;     /* "pretty,max-cable-size=BYTES" */
  char *probe;       /* "true": it probes content; NULL when the conf did not say */
  char *mime;        /* from the conf, or NULL */
  char *description; /* descriptor's, else the conf's, or NULL */
  enum cxh_plugin_status status;
  char *why;                      /* reason for refused / shadowed, else NULL */
  const struct cx_plugin *plugin; /* set when loaded */
  void *handle;                   /* lt_dlhandle, when loaded */
  bool from_conf;                 /* read from a conf (file), not a bare module */
  const char *shadows; /* the file of a later plugin of its name it hides (borrowed), or NULL */
  char *disagrees;     /* the conf's keys that its module contradicts, or NULL */
};

struct cxh_registry;

/* Starts ltdl.  report receives warnings (conf problems, missing
 * --plugin-dir directories); NULL means stderr.  Returns NULL when out of
 * memory or when ltdl cannot start. */
struct cxh_registry *cxh_registry_new(cx_report_fn report, void *report_user);
/* Unloads every module (lt_dlexit): nothing from a plugin may be in use. */
void cxh_registry_free(struct cxh_registry *reg);

/* cxh_registry_free() for a process about to exit: the registry is freed but
 * its modules stay loaded, as does ltdl (its records stay reachable from its
 * globals).  exit() still runs the modules' destructors, and the kernel
 * unmaps them all at once, cheaper than unloading them one by one. */
void cxh_registry_free_for_exit(struct cxh_registry *reg);

/* Appends a directory to search.  explicit: a missing directory is worth a
 * warning (a --plugin-dir), not silently skipped (a default). */
int cxh_registry_add_dir(struct cxh_registry *reg, const char *dir, bool isexplicit);
/* Appends CABLEX_PLUGIN_PATH, the XDG directory and the build-tree or
 * installed plugins.d, in that order. */
int cxh_registry_add_default_dirs(struct cxh_registry *reg);
/* Reads every directory and loads every enabled plugin.  Returns CX_OK, or
 * CX_FATAL when out of memory.  Refused plugins are not an error here. */
int cxh_registry_load(struct cxh_registry *reg);
/* Reads every directory, loading only the plugins their confs do not
 * describe; the others are loaded when a lookup picks them. */
int cxh_registry_scan(struct cxh_registry *reg);

size_t cxh_registry_count(const struct cxh_registry *reg);
const struct cxh_plugin_entry *cxh_registry_at(const struct cxh_registry *reg, size_t i);
/* The directories searched, in order (for messages and the man page). */
size_t cxh_registry_dir_count(const struct cxh_registry *reg);
const char *cxh_registry_dir_at(const struct cxh_registry *reg, size_t i);
/* Number of loaded plugins. */
size_t cxh_registry_loaded(const struct cxh_registry *reg);
/* Number of loaded and found plugins. */
size_t cxh_registry_usable(const struct cxh_registry *reg);

/* The plugin of entry i, loading it now when it was only found; NULL when
 * it is refused (then warned about, and the next entry of its name that it
 * shadowed takes its place), disabled or shadowed. */
const struct cx_plugin *cxh_registry_open(struct cxh_registry *reg, size_t i);

/* What an entry offers, from its descriptor once loaded, else its conf. */
bool cxh_entry_usable(const struct cxh_plugin_entry *e); /* loaded or found */
bool cxh_entry_has_kinds(const struct cxh_plugin_entry *e, unsigned kinds);
bool cxh_entry_has_ext(const struct cxh_plugin_entry *e, const char *ext);
bool cxh_entry_may_probe(const struct cxh_plugin_entry *e);
/* The option NAME (its first len bytes) the entry declares, or NULL.  For
 * a plugin not loaded only its name and whether it takes a value are
 * known (arg "VALUE" or NULL, help NULL). */
const struct cx_option_doc *cxh_entry_option(const struct cxh_plugin_entry *e, const char *name,
                                             size_t len);

/* The plugin called name that has all the kinds bits (loaded now if need
 * be), or NULL. */
const struct cx_plugin *cxh_registry_find(struct cxh_registry *reg, const char *name,
                                          unsigned kinds);
/* The first plugin with those kinds that lists ext (case-insensitive,
 * without the dot; loaded now if need be), or NULL. */
const struct cx_plugin *cxh_registry_by_ext(struct cxh_registry *reg, const char *ext,
                                            unsigned kinds);

#ifdef __cplusplus
}
#endif
#endif

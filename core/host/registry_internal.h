/* registry_internal.h - what registry.c and module.c share (internal to
 * core/host/): the registry itself, warnings, and loading one module.
 *
 * Ownership: as in registry.h.
 */
#ifndef CXH_REGISTRY_INTERNAL_H
#define CXH_REGISTRY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cablex/error.h"
#include "conf.h"
#include "registry.h"

/* A file whatever the path that names it: a symbolic link, "dir/../x" or a
 * second hard link is the same file.  One stat, where realpath costs a
 * readlink per path component. */
struct cxh_file_id {
  dev_t dev;
  ino_t ino;
};

struct cxh_registry {
  struct cxh_plugin_entry *v;
  size_t n, cap;
  char **dirs;
  bool *dir_explicit;
  size_t ndirs, dircap;
  struct cxh_file_id *seen; /* modules a conf or a bare scan already claimed */
  size_t nseen, seencap;
  cx_report_fn report;
  void *report_user;
  bool ltdl_up;
  bool loaded;
  bool lazy; /* cxh_registry_scan: modules described by their conf wait until chosen */
};

/* A warning through the registry's report function (stderr by default). */
void cxh_warn_at(struct cxh_registry *reg, const char *file, unsigned long line, const char *fmt,
                 ...) CX_PRINTF(4, 5);
/* Marks e refused, with the reason.  Returns CX_OK, or CX_FATAL when out
 * of memory. */
int cxh_refuse(struct cxh_plugin_entry *e, const char *fmt, ...) CX_PRINTF(2, 3);
bool cxh_has_suffix(const char *s, const char *suffix);

/* Opens e's module at path and fills e from its descriptor: loaded, or
 * refused with the reason.  conf_file: the conf e was read from (its name
 * must match the module's; its other lines are compared with the
 * descriptor and a disagreement is warned about and kept in e->disagrees),
 * or NULL for a bare module.  Returns CX_OK or CX_FATAL. */
int cxh_load_module(struct cxh_registry *reg, struct cxh_plugin_entry *e, const char *path,
                    const char *conf_file);

#endif

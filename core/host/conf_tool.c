/* conf_tool.c - cablex-plugin-conf, the build-time tool that writes a
 * plugin's plugins.d/NAME.conf from its descriptor (a cache, as
 * GStreamer's registry is: the host chooses plugins from the confs without
 * opening every module).
 *
 *     cablex-plugin-conf MODULE.so HAND.conf OUT.conf
 *
 * HAND.conf is the hand-written conf: its comments and what a descriptor
 * cannot hold (module, enabled, mime).  OUT.conf gets those, then the
 * descriptor's name, abi, kinds, extensions, options, probe and
 * description.  Exit status 0, or 1 with a message on stderr. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static int fail(const char *what, const char *file, const char *why) {
  fprintf(stderr, "cablex-plugin-conf: %s %s: %s\n", what, file, why ? why : "failed");
  return 1;
}

/* The leading comment lines of the hand-written conf, for the header. */
static char *comments_of(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char *out = NULL, *line = NULL;
  size_t size = 0, cap = 0;
  FILE *m = open_memstream(&out, &size);
  while (m && getline(&line, &cap, f) >= 0 && line[0] == '#')
    fputs(line, m);
  free(line);
  fclose(f);
  if (m) fclose(m);
  return out;
}

static int write_conf(const char *out, const struct cxh_conf *conf, const char *hand,
                      const char *module) {
  char *comments = comments_of(hand);
  const char *m = strrchr(module, '/'), *c = strrchr(hand, '/');
  char *header = cxh_xprintf("%s# Generated at build time from the descriptor of %s and the\n"
                             "# hand-written plugins.d/%s (module, enabled, mime): edit those,\n"
                             "# not this file.\n",
                             comments ? comments : "", m ? m + 1 : module, c ? c + 1 : hand);
  free(comments);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  FILE *f = fopen(tmp, "w");
  if (!f || !header) {
    free(header);
    if (f) fclose(f);
    return fail("cannot write", tmp, NULL);
  }
  int rc = cxh_conf_write(f, conf, header);
  free(header);
  if (fclose(f) != 0 || rc != CX_OK || rename(tmp, out) != 0) {
    remove(tmp);
    return fail("cannot write", out, NULL);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fputs("usage: cablex-plugin-conf MODULE.so HAND.conf OUT.conf\n", stderr);
    return 2;
  }
  const char *module = argv[1], *hand = argv[2], *out = argv[3];
  void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
  if (!h) return fail("cannot load", module, dlerror());
  const struct cx_plugin *p = dlsym(h, CX_PLUGIN_SYMBOL);
  if (!p || p->abi_major != CX_ABI_MAJOR || !p->name)
    return fail("no usable descriptor in", module, CX_PLUGIN_SYMBOL);
  struct cxh_conf c;
  char *why = NULL;
  if (cxh_conf_read(hand, &c, &why, true, NULL, NULL) != CX_OK) return fail("bad", hand, why);
  if (c.name && strcmp(c.name, p->name) != 0)
    return fail("name in", hand, "does not match the descriptor's name");
  int rc = cxh_conf_describe(&c, p) == CX_OK ? write_conf(out, &c, hand, module) : 1;
  cxh_conf_clear(&c);
  dlclose(h);
  return rc;
}

/* html_plugin.c - the descriptor of the html plugin (Cablegate cable pages,
 * formats/html.md) and its probe. */
#include <string.h>

#include "html_plugin.h"

static const char *const extensions[] = {"html", "htm", NULL};

static const struct cx_option_doc options[] = {CX_OPTION_MAX_CABLE_SIZE("page"), CX_OPTIONS_END};

static bool has(const unsigned char *head, size_t len, const char *w) {
  return cx_find((const char *)head, len, 0, w) != (size_t)-1;
}

/* The heading sits some 40 KB into a site page, past the sidebar, so the
 * first bytes rarely show it: the site's <title> says as much. */
int htmlp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  size_t i = cx_text_start(head, len, true);
  if (i == len || head[i] != '<') return 0; /* markup first, or not ours */
  if (has(head, len, "<h3>Viewing cable")) return 100;
  if (has(head, len, "<title>Cable Viewer</title>") ||
      has(head, len, "content='" HTMLP_GENERATOR "'"))
    return 95;
  /* a page with those marks is ours even with a NUL (the reader then names
   * it); without them a NUL says binary */
  if (memchr(head, '\0', len)) return 0;
  const char *h = (const char *)head;
  if (cx_find_ci(h, len, 0, "<html") != (size_t)-1 ||
      cx_find_ci(h, len, 0, "<!doctype html") != (size_t)-1)
    return 30;
  return 0;
}

CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("html", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                                 "Cablegate cable pages: table, tag links, header and body <pre> "
                                 "(formats/html.md)",
                                 extensions, options),
                 CX_PLUGIN_READER(htmlp), CX_PLUGIN_WRITER(htmlp), CX_PLUGIN_ENCODER(htmlp));

/* xml_plugin.c - the descriptor of the xml plugin (one <cables> document,
 * formats/xml.md and formats/cable.xsd) and its probe. */
#include <string.h>

#include "xml_plugin.h"

static const char *const extensions[] = {"xml", NULL};

static const struct cx_option_doc options[] = {CX_OPTION_MAX_CABLE_SIZE("cable"), CX_OPTIONS_END};

int xmlp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  size_t i = cx_text_start(head, len, true);
  if (i == len || head[i] != '<') return 0;
  bool decl = len - i >= 5 && !memcmp(head + i, "<?xml", 5);
  const char *h = (const char *)head;
  if (cx_find(h, len, i, "<cables") != (size_t)-1 && cx_find(h, len, i, XMLP_NS) != (size_t)-1)
    return 95;
  return decl ? 40 : 0;
}

CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("xml", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                                 "XML: one <cables> document (formats/xml.md, formats/cable.xsd)",
                                 extensions, options),
                 CX_PLUGIN_READER(xmlp), CX_PLUGIN_WRITER(xmlp));

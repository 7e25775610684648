/* xml_plugin.c - the descriptor of the xml plugin (one <cables> document,
 * formats/xml.md and formats/cable.xsd) and its probe. */
#include <string.h>

#include "xml_plugin.h"

static const char *const extensions[] = {"xml", NULL};

static const struct cx_option_doc options[] = {
    {"max-cable-size", "BYTES", "read: largest cable accepted (K, M, G suffixes)"},
    {NULL, NULL, NULL}};

/* True when the bytes hold needle (head is not NUL-terminated). */
static bool contains(const unsigned char *head, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (head[i] == (unsigned char)needle[0] && !memcmp(head + i, needle, n)) return true;
  return false;
}

int xmlp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  size_t i = 0;
  if (len >= 3 && !memcmp(head, "\xef\xbb\xbf", 3)) i = 3;
  while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
    i++;
  if (i == len || head[i] != '<') return 0;
  bool decl = len - i >= 5 && !memcmp(head + i, "<?xml", 5);
  if (contains(head + i, len - i, "<cables") && contains(head + i, len - i, XMLP_NS)) return 95;
  return decl ? 40 : 0;
}

CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("xml", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                                 "XML: one <cables> document (formats/xml.md, formats/cable.xsd)",
                                 extensions, options),
                 CX_PLUGIN_READER(xmlp), CX_PLUGIN_WRITER(xmlp));

/* raw_plugin.c - the descriptor of the raw plugin (cable text as on the
 * cable web pages, formats/raw.md) and its probe. */
#include <string.h>

#include "raw_plugin.h"

static const char *const extensions[] = {"txt", "raw", NULL};

static const struct cx_option_doc options[] = {CX_OPTION_MAX_CABLE_SIZE("cable"), CX_OPTIONS_END};

static bool head_has_line(const unsigned char *head, size_t len, const char *prefix) {
  size_t pl = strlen(prefix);
  for (size_t i = 0; i + pl <= len; i++) {
    if ((i == 0 || head[i - 1] == '\n') && !memcmp(head + i, prefix, pl)) return true;
  }
  return false;
}

int rawp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  if (memchr(head, '\0', len)) return 0; /* binary */
  size_t i = cx_text_start(head, len, true);
  if (i == len) return 0;
  /* markup and JSON belong to other plugins */
  if (head[i] == '<' || head[i] == '{' || head[i] == '[') return 0;
  const unsigned char *h = head + i;
  size_t n = len - i;
  static const char labels[] = "Identifier\nCreated\nClassification\nOrigin\n";
  static const char labels_crlf[] = "Identifier\r\nCreated\r\n";
  if ((n >= sizeof labels - 1 && !memcmp(h, labels, sizeof labels - 1)) ||
      (n >= sizeof labels_crlf - 1 && !memcmp(h, labels_crlf, sizeof labels_crlf - 1)))
    return 95;
  if ((n >= 5 && !memcmp(h, "VZCZC", 5)) ||
      head_has_line(h, n, "This record is a partial extract of the original cable."))
    return 60;
  if (head_has_line(h, n, "SUBJECT:") || head_has_line(h, n, "TAGS:") ||
      head_has_line(h, n, "C O N F I D E N T I A L") || head_has_line(h, n, "S E C R E T") ||
      head_has_line(h, n, "UNCLAS ") || head_has_line(h, n, "FM AMEMBASSY") ||
      head_has_line(h, n, "FM SECSTATE"))
    return 40;
  return 0;
}

size_t rawp_split(const char *data, size_t len) {
  /* after the last separator line: each side then reads as a stream of its own */
  for (size_t i = len; i >= 3; i--)
    if (data[i - 1] == '\n' && data[i - 2] == '\f' && data[i - 3] == '\n') return i;
  return 0;
}

CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("raw", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                                 "raw cable text as on the cable web pages (formats/raw.md)",
                                 extensions, options),
                 CX_PLUGIN_READER(rawp), CX_PLUGIN_WRITER(rawp), CX_PLUGIN_ENCODER(rawp),
                 .record_split = rawp_split);

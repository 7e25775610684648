/* xml_plugin.h - the xml plugin's parts (internal, not installed): the
 * writer (xml_writer.c), the reader (xml_reader.c, expat) and the descriptor
 * with the probe (xml_plugin.c).  The unit tests compile these sources
 * directly.  formats/xml.md describes the document, formats/cable.xsd is its
 * schema.
 *
 * Ownership: as in cablex/plugin.h; reader and writer state is created by
 * open and freed by close, whatever happened in between.
 */
#ifndef XMLP_PLUGIN_H
#define XMLP_PLUGIN_H

#include <stddef.h>

#include "cablex/plugin.h"

/* The namespace of every element of the document. */
#define XMLP_NS "https://cablex.invalid/ns/cable"

/* Deepest element nesting the reader accepts (the document's own structure
 * is 8 deep; the rest is room for deep `extra` values: a JSON value 2048
 * levels deep, jansson's limit, takes at most 4096 elements). */
#define XMLP_MAX_DEPTH 4200

/* The descriptor (xml_plugin.c). */
extern CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1;

/* Writer: one <cables> document, written as the cables come. */
CX_PLUGIN_DECLARE_WRITER(xmlp);

/* Reader: yields each cable as its </cable> is read.  Option
 * "max-cable-size" bounds one cable. */
CX_PLUGIN_DECLARE_READER(xmlp);

/* 95 for a document whose root is <cables> in our namespace, 40 for other
 * XML, 0 otherwise. */
int xmlp_probe(const unsigned char *head, size_t len, const char *name);

#endif

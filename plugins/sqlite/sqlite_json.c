/* sqlite_json.c - extra and string arrays as JSON text in a TEXT column, so
 * that SQLite's json_extract() and json_each() reach them.  The writer keeps
 * every byte of a string (only '"', '\\' and control characters are
 * escaped) and every number as its text, so that reading back gives the
 * same values. */
#include <stdlib.h>
#include <string.h>

#include "sqlite_plugin.h"

static int json_string(struct cx_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  int rc = cx_buf_addc(b, '"');
  const char *run = s;
  for (; rc == CX_OK && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    rc = cx_buf_add(b, run, (size_t)(s - run));
    char e[6] = {'\\', (char)c, 0, 0, 0, 0};
    size_t n = 2;
    if (c < 0x20) {
      memcpy(e + 1, "u00", 3);
      e[4] = hex[c >> 4];
      e[5] = hex[c & 15];
      n = 6;
    }
    if (rc == CX_OK) rc = cx_buf_add(b, e, n);
    run = s + 1;
  }
  if (rc == CX_OK) rc = cx_buf_add(b, run, (size_t)(s - run));
  if (rc == CX_OK) rc = cx_buf_addc(b, '"');
  return rc;
}

int sqlp_json_strv(struct cx_buf *b, const struct cx_strv *v) {
  int rc = cx_buf_addc(b, '[');
  for (size_t i = 0; i < v->n && rc == CX_OK; i++) {
    if (i) rc = cx_buf_addc(b, ',');
    if (rc == CX_OK) rc = json_string(b, v->v[i] ? v->v[i] : "");
  }
  if (rc == CX_OK) rc = cx_buf_addc(b, ']');
  return rc;
}

int sqlp_json_value(struct cx_buf *b, const struct cx_value *v) {
  int rc = CX_OK;
  switch (v->kind) {
  case CX_VALUE_NULL:
    return cx_buf_adds(b, "null");
  case CX_VALUE_FALSE:
    return cx_buf_adds(b, "false");
  case CX_VALUE_TRUE:
    return cx_buf_adds(b, "true");
  case CX_VALUE_NUMBER:
    if (v->text && cx_is_json_number(v->text, strlen(v->text))) return cx_buf_adds(b, v->text);
    return json_string(b, v->text ? v->text : ""); /* as the json writer does */
  case CX_VALUE_STRING:
    return json_string(b, v->text ? v->text : "");
  case CX_VALUE_ARRAY:
  case CX_VALUE_OBJECT: {
    bool obj = v->kind == CX_VALUE_OBJECT;
    rc = cx_buf_addc(b, obj ? '{' : '[');
    for (size_t i = 0; i < v->n && rc == CX_OK; i++) {
      if (i) rc = cx_buf_addc(b, ',');
      if (obj && rc == CX_OK) rc = json_string(b, v->keys && v->keys[i] ? v->keys[i] : "");
      if (obj && rc == CX_OK) rc = cx_buf_addc(b, ':');
      if (rc == CX_OK) rc = sqlp_json_value(b, &v->items[i]);
    }
    if (rc == CX_OK) rc = cx_buf_addc(b, obj ? '}' : ']');
    return rc;
  }
  }
  return CX_FAILED;
}

/* ---- reading back ---- */

struct jp {
  const char *p;
  struct cx_buf s; /* a string being decoded */
  int depth;
};

static void ws(struct jp *j) {
  while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
    j->p++;
}

static int hex4(const char *p, unsigned *u) {
  *u = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 16u;
    if (d == 16) return CX_FAILED;
    *u = *u * 16 + d;
  }
  return CX_OK;
}

static int add_utf8(struct cx_buf *b, unsigned u) {
  char e[4];
  size_t n;
  if (u < 0x80) {
    e[0] = (char)u;
    n = 1;
  } else if (u < 0x800) {
    e[0] = (char)(0xc0 | (u >> 6));
    e[1] = (char)(0x80 | (u & 0x3f));
    n = 2;
  } else if (u < 0x10000) {
    e[0] = (char)(0xe0 | (u >> 12));
    e[1] = (char)(0x80 | ((u >> 6) & 0x3f));
    e[2] = (char)(0x80 | (u & 0x3f));
    n = 3;
  } else {
    e[0] = (char)(0xf0 | (u >> 18));
    e[1] = (char)(0x80 | ((u >> 12) & 0x3f));
    e[2] = (char)(0x80 | ((u >> 6) & 0x3f));
    e[3] = (char)(0x80 | (u & 0x3f));
    n = 4;
  }
  return cx_buf_add(b, e, n);
}

/* Decodes the string at j->p (at its '"') into j->s. */
static int string(struct jp *j) {
  cx_buf_reset(&j->s);
  if (*j->p++ != '"') return CX_FAILED;
  for (;;) {
    const char *run = j->p;
    while (*j->p && *j->p != '"' && *j->p != '\\')
      j->p++;
    if (cx_buf_add(&j->s, run, (size_t)(j->p - run)) != CX_OK) return CX_FAILED;
    char c = *j->p++;
    if (c == '"') return cx_buf_addc(&j->s, '\0') == CX_OK ? CX_OK : CX_FAILED;
    if (c != '\\') return CX_FAILED;
    c = *j->p++;
    const char *plain = strchr("\"\\/bfnrt", c);
    if (c && plain) {
      static const char to[] = "\"\\/\b\f\n\r\t";
      if (cx_buf_addc(&j->s, to[plain - "\"\\/bfnrt"]) != CX_OK) return CX_FAILED;
      continue;
    }
    unsigned u, lo;
    if (c != 'u' || hex4(j->p, &u) != CX_OK) return CX_FAILED;
    j->p += 4;
    if (u >= 0xd800 && u < 0xdc00 && j->p[0] == '\\' && j->p[1] == 'u' &&
        hex4(j->p + 2, &lo) == CX_OK && lo >= 0xdc00 && lo < 0xe000) {
      u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
      j->p += 6;
    }
    if (add_utf8(&j->s, u) != CX_OK) return CX_FAILED;
  }
}

static int value(struct jp *j, struct cx_value *v);

/* The items of an array or the members of an object, after its bracket. */
static int items(struct jp *j, struct cx_value *v, bool obj) {
  char close = obj ? '}' : ']';
  ws(j);
  if (*j->p == close) {
    j->p++;
    return CX_OK;
  }
  for (;;) {
    ws(j);
    struct cx_value *item;
    if (obj) {
      if (string(j) != CX_OK) return CX_FAILED;
      ws(j);
      if (*j->p++ != ':') return CX_FAILED;
      item = cx_value_put(v, j->s.data);
    } else {
      item = cx_value_append(v);
    }
    if (!item || value(j, item) != CX_OK) return CX_FAILED;
    ws(j);
    char c = *j->p++;
    if (c == close) return CX_OK;
    if (c != ',') return CX_FAILED;
  }
}

static int value(struct jp *j, struct cx_value *v) {
  ws(j);
  const char *p = j->p;
  if (*p == '"') {
    if (string(j) != CX_OK) return CX_FAILED;
    return cx_value_set_text(v, CX_VALUE_STRING, j->s.data, j->s.len - 1);
  }
  if (*p == '{' || *p == '[') {
    if (++j->depth > 200) return CX_FAILED;
    v->kind = *p == '{' ? CX_VALUE_OBJECT : CX_VALUE_ARRAY;
    j->p++;
    int rc = items(j, v, *p == '{');
    j->depth--;
    return rc;
  }
  static const struct {
    const char *word;
    enum cx_value_kind kind;
  } words[] = {{"null", CX_VALUE_NULL}, {"true", CX_VALUE_TRUE}, {"false", CX_VALUE_FALSE}};
  for (size_t i = 0; i < 3; i++)
    if (!strncmp(p, words[i].word, strlen(words[i].word))) {
      v->kind = words[i].kind;
      j->p += strlen(words[i].word);
      return CX_OK;
    }
  size_t n = strspn(p, "0123456789+-.eE");
  if (!n || !cx_is_json_number(p, n)) return CX_FAILED;
  j->p += n;
  return cx_value_set_text(v, CX_VALUE_NUMBER, p, n);
}

int sqlp_json_parse_value(const char *s, struct cx_value *v) {
  struct jp j = {.p = s};
  cx_buf_init(&j.s, (size_t)-1);
  int rc = value(&j, v);
  ws(&j);
  if (rc == CX_OK && *j.p) rc = CX_FAILED;
  cx_buf_free(&j.s);
  return rc == CX_OK ? CX_OK : CX_FAILED;
}

int sqlp_json_parse_strv(const char *s, struct cx_strv *sv) {
  struct cx_value v = {0};
  int rc = sqlp_json_parse_value(s, &v);
  if (rc == CX_OK && v.kind != CX_VALUE_ARRAY) rc = CX_FAILED;
  for (size_t i = 0; rc == CX_OK && i < v.n; i++)
    rc = v.items[i].kind == CX_VALUE_STRING ? cx_strv_push(sv, v.items[i].text) : CX_FAILED;
  cx_value_clear(&v);
  return rc == CX_OK ? CX_OK : CX_FAILED;
}

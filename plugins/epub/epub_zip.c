/* epub_zip.c - a minimal zip writer on zlib for EPUB containers.
 *
 * Why not libarchive: bookworm's libarchive 3.6.2 zip writer always adds an
 * extra field, and epubcheck refuses one on `mimetype` (PKG-005).  Entries
 * are compressed into memory before their local header is written, so the
 * header holds the real CRC and sizes and the output never needs a seek or
 * a data descriptor; an entry can be fed in pieces (epubp_zip_begin / feed /
 * end), so only its compressed form is held whole, never its text.  No entry has an extra field;
 * the archive gets zip64 end records only when it has more than 65,535 entries.  An archive or an
 * entry past 4 GiB is refused (a book of every cable is far below that).
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "epub_plugin.h"

#define ZIP_LIMIT 0xFFFFFFFFu

static void le16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)(v & 0xFF);
  p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void le32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)((v >> (8 * i)) & 0xFF);
}

static void le64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char)((v >> (8 * i)) & 0xFF);
}

static int put(struct epubp_zip *z, const void *p, size_t n, struct cx_ctx *ctx) {
  if (cx_ostream_write(z->out, p, n) != CX_OK) {
    if (ctx && ctx->code != CX_FATAL) cx_error(ctx, CX_FATAL, 0, "epub: write error");
    return CX_FATAL;
  }
  z->offset += n;
  return CX_OK;
}

int epubp_zip_open(struct epubp_zip *z, struct cx_ostream *out, time_t t, struct cx_ctx *ctx) {
  memset(z, 0, sizeof *z);
  z->out = out;
  z->level = Z_DEFAULT_COMPRESSION;
  /* the directory of 10,000 entries is about 600 KB; 1 GiB only guards */
  cx_buf_init(&z->cdir, (size_t)1 << 30);
  cx_buf_init(&z->comp, (size_t)1 << 31);
  struct tm tm;
  if (t < 315532800) t = 315532800; /* 1980-01-01, the DOS epoch */
  if (!gmtime_r(&t, &tm)) return cx_error(ctx, CX_FATAL, 0, "epub: bad time");
  if (tm.tm_year > 207) { /* 2107 is the last DOS year */
    tm.tm_year = 207;
    tm.tm_mon = 11;
    tm.tm_mday = 31;
    tm.tm_hour = 23;
    tm.tm_min = 59;
    tm.tm_sec = 58;
  }
  z->dos_time = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  z->dos_date = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  return CX_OK;
}

/* Makes room for at least `need` more bytes of deflate output in z->comp. */
static int comp_room(struct epubp_zip *z, size_t need, struct cx_ctx *ctx) {
  if (z->comp.cap - z->comp.len > need) return CX_OK;
  size_t cap = z->comp.cap ? z->comp.cap : 64 * 1024;
  while (cap - z->comp.len <= need)
    cap *= 2;
  char *p = realloc(z->comp.data, cap);
  if (!p) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  z->comp.data = p;
  z->comp.cap = cap;
  return CX_OK;
}

/* Runs deflate over what z->strm holds (flush: Z_NO_FLUSH or Z_FINISH),
 * appending its output to z->comp. */
static int run_deflate(struct epubp_zip *z, int flush, struct cx_ctx *ctx) {
  z_stream *s = &z->strm;
  for (;;) {
    if (comp_room(z, 64 * 1024, ctx)) return CX_FATAL;
    size_t room = z->comp.cap - z->comp.len - 1;
    if (room > (1u << 30)) room = 1u << 30;
    s->next_out = (Bytef *)z->comp.data + z->comp.len;
    s->avail_out = (uInt)room;
    int rc = deflate(s, flush);
    z->comp.len += room - s->avail_out;
    if (rc == Z_STREAM_END) return CX_OK;
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      return cx_error(ctx, CX_FATAL, 0, "epub: zlib deflate failed");
    if (flush == Z_NO_FLUSH && s->avail_in == 0) return CX_OK;
  }
}

int epubp_zip_begin(struct epubp_zip *z, struct cx_ctx *ctx) {
  if (z->deflating) deflateEnd(&z->strm); /* an entry that failed */
  z->deflating = false;
  memset(&z->strm, 0, sizeof z->strm);
  if (deflateInit2(&z->strm, z->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return cx_error(ctx, CX_FATAL, 0, "epub: zlib deflateInit failed");
  z->deflating = true;
  z->crc = (uint32_t)crc32(0L, Z_NULL, 0);
  z->ulen = 0;
  cx_buf_reset(&z->comp);
  return CX_OK;
}

int epubp_zip_feed(struct epubp_zip *z, const void *data, size_t len, struct cx_ctx *ctx) {
  if (len >= ZIP_LIMIT - z->ulen)
    return cx_error(ctx, CX_FATAL, 0, "epub: an entry is larger than a zip without zip64 holds");
  z->ulen += len;
  z->crc = (uint32_t)crc32(z->crc, (const Bytef *)data, (uInt)len);
  z->strm.next_in = (Bytef *)(uintptr_t)data;
  z->strm.avail_in = (uInt)len;
  return run_deflate(z, Z_NO_FLUSH, ctx);
}

/* The local header, name and payload of one entry, and its central record. */
static int write_entry(struct epubp_zip *z, const char *name, size_t len, uint32_t crc,
                       const void *payload, size_t plen, bool store, struct cx_ctx *ctx) {
  size_t nlen = strlen(name);
  if (len >= ZIP_LIMIT || nlen > 0xFFFF)
    return cx_error(ctx, CX_FATAL, 0, "epub: entry %s is larger than a zip without zip64 holds",
                    name);
  if (z->offset >= ZIP_LIMIT || plen >= ZIP_LIMIT - z->offset)
    return cx_error(ctx, CX_FATAL, 0, "epub: the book passes 4 GiB, which this writer refuses");
  unsigned char h[30];
  le32(h, 0x04034b50);
  le16(h + 4, store ? 10 : 20); /* version needed */
  le16(h + 6, 0x0800);          /* flags: names are UTF-8 */
  le16(h + 8, store ? 0 : 8);
  le16(h + 10, z->dos_time);
  le16(h + 12, z->dos_date);
  le32(h + 14, crc);
  le32(h + 18, (uint32_t)plen);
  le32(h + 22, (uint32_t)len);
  le16(h + 26, (unsigned)nlen);
  le16(h + 28, 0); /* no extra field */
  uint32_t local = (uint32_t)z->offset;

  unsigned char c[46];
  le32(c, 0x02014b50);
  le16(c + 4, 0x0314); /* made by: Unix, 2.0 */
  memcpy(c + 6, h + 4, 26);
  le16(c + 32, 0);              /* comment */
  le16(c + 34, 0);              /* disk */
  le16(c + 36, 0);              /* internal attributes */
  le32(c + 38, 0100644u << 16); /* external: a regular file, rw-r--r-- */
  le32(c + 42, local);
  if (cx_buf_add(&z->cdir, c, sizeof c) || cx_buf_add(&z->cdir, name, nlen))
    return cx_error(ctx, CX_FATAL, 0, "epub: out of memory (zip directory)");

  if (put(z, h, sizeof h, ctx) || put(z, name, nlen, ctx) || put(z, payload, plen, ctx))
    return CX_FATAL;
  z->entries++;
  return CX_OK;
}

int epubp_zip_end(struct epubp_zip *z, const char *name, uint32_t *crc_out, struct cx_ctx *ctx) {
  int rc = run_deflate(z, Z_FINISH, ctx);
  deflateEnd(&z->strm);
  z->deflating = false;
  if (crc_out) *crc_out = z->crc;
  if (!rc) rc = write_entry(z, name, z->ulen, z->crc, z->comp.data, z->comp.len, false, ctx);
  /* the deflate output of one huge chapter is not kept for the next ones */
  if (z->comp.cap > EPUBP_KEEP) cx_buf_free(&z->comp);
  return rc;
}

int epubp_zip_add(struct epubp_zip *z, const char *name, const void *data, size_t len, bool store,
                  uint32_t *crc_out, struct cx_ctx *ctx) {
  if (store) {
    uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)data, (uInt)len);
    if (crc_out) *crc_out = crc;
    return write_entry(z, name, len, crc, data, len, true, ctx);
  }
  if (len >= ZIP_LIMIT)
    return cx_error(ctx, CX_FATAL, 0, "epub: entry %s is larger than a zip without zip64 holds",
                    name);
  if (epubp_zip_begin(z, ctx) || epubp_zip_feed(z, data, len, ctx)) {
    if (z->deflating) deflateEnd(&z->strm);
    z->deflating = false;
    return CX_FATAL;
  }
  return epubp_zip_end(z, name, crc_out, ctx);
}

int epubp_zip_close(struct epubp_zip *z, struct cx_ctx *ctx) {
  int rc = CX_OK;
  uint64_t cd_off = z->offset, cd_len = z->cdir.len;
  if (cd_off + cd_len >= ZIP_LIMIT) {
    rc = cx_error(ctx, CX_FATAL, 0, "epub: the book passes 4 GiB, which this writer refuses");
    goto out;
  }
  if (z->cdir.len && put(z, z->cdir.data, z->cdir.len, ctx)) {
    rc = CX_FATAL;
    goto out;
  }
  bool zip64 = z->entries > 0xFFFF;
  if (zip64) {
    unsigned char e[56], l[20];
    uint64_t e_off = z->offset;
    le32(e, 0x06064b50);
    le64(e + 4, 44); /* size of the rest of the record */
    le16(e + 12, 0x0314);
    le16(e + 14, 45);
    le32(e + 16, 0);
    le32(e + 20, 0);
    le64(e + 24, z->entries);
    le64(e + 32, z->entries);
    le64(e + 40, cd_len);
    le64(e + 48, cd_off);
    le32(l, 0x07064b50);
    le32(l + 4, 0);
    le64(l + 8, e_off);
    le32(l + 16, 1);
    if (put(z, e, sizeof e, ctx) || put(z, l, sizeof l, ctx)) {
      rc = CX_FATAL;
      goto out;
    }
  }
  unsigned char e[22];
  unsigned n = zip64 ? 0xFFFF : (unsigned)z->entries;
  le32(e, 0x06054b50);
  le16(e + 4, 0);
  le16(e + 6, 0);
  le16(e + 8, n);
  le16(e + 10, n);
  le32(e + 12, (uint32_t)cd_len);
  le32(e + 16, (uint32_t)cd_off);
  le16(e + 20, 0);
  if (put(z, e, sizeof e, ctx)) rc = CX_FATAL;
out:
  epubp_zip_free(z);
  return rc;
}

void epubp_zip_free(struct epubp_zip *z) {
  if (z->deflating) deflateEnd(&z->strm);
  z->deflating = false;
  cx_buf_free(&z->cdir);
  cx_buf_free(&z->comp);
}

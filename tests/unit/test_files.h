/* test_files.h - whole files in the unit tests (test_files.c, linked into
 * every unit test by cx_add_unit_test).
 *
 * Ownership: read_file(), try_read_file() and read_data_file() return
 * malloc'd bytes, NUL-terminated (the NUL not counted in *len), that the
 * caller frees; data_file() returns a string that lives until its fourth
 * next call. */
#ifndef CX_TEST_FILES_H
#define CX_TEST_FILES_H

#include <stddef.h>

/* The whole file at path; NULL when it cannot be read.  len may be NULL. */
char *try_read_file(const char *path, size_t *len);
/* The same, failing the test when the file cannot be read. */
char *read_file(const char *path, size_t *len);
/* Writes len bytes to path (made or emptied), failing the test on error. */
void write_file(const char *path, const void *data, size_t len);
/* The path of fixture sub/name: under $CABLEX_TEST_DATA (ctest sets it to
 * the source tree's tests/data), else under tests/data. */
const char *data_file(const char *sub, const char *name);
/* read_file(data_file(sub, name), len). */
char *read_data_file(const char *sub, const char *name, size_t *len);

#endif

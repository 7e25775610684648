/* stream_fixture.h - helpers the stream tests share (stream_fixture.c).
 * Strings from path_in() live until its fourth next call; gunzip() returns
 * malloc'd bytes the caller frees (read_file() and write_file(): test_files.h). */
#ifndef CX_TEST_STREAM_FIXTURE_H
#define CX_TEST_STREAM_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "test_files.h"

extern char tmpdir[256]; /* made by group_setup, removed by group_teardown */

char *path_in(const char *name);
bool exists(const char *path);
/* Entries in tmpdir other than . and .. */
int dir_entries(void);
/* Whether tmpdir holds a temporary file of an output named base. */
bool has_temp_for(const char *base);
/* Independent gunzip (zlib only, multi-member aware). */
char *gunzip(const unsigned char *gz, size_t len, size_t *outlen);
/* Deterministic, poorly compressible bytes. */
void fill_random(unsigned char *p, size_t n, uint32_t seed);
int group_setup(void **state);
int group_teardown(void **state);

#endif

/* inputs.c - the list of inputs of a run: the files named on the command
 * line, and the files under the directories named there (walked in strcmp
 * order, hidden entries left out, --include and --exclude applied,
 * symbolic links followed only with --follow-symlinks). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run_internal.h"

static int inputs_add(struct inputs *in, const char *path, bool walked, const char *skip) {
  if (in->n == in->cap) {
    size_t cap = in->cap ? in->cap * 2 : 16;
    struct input *v = realloc(in->v, cap * sizeof *v);
    if (!v) return CX_FATAL;
    in->v = v;
    in->cap = cap;
  }
  char *p = strdup(path);
  if (!p) return CX_FATAL;
  in->v[in->n].path = p;
  in->v[in->n].walked = walked;
  in->v[in->n].skip = skip;
  in->n++;
  return CX_OK;
}

void cxr_inputs_free(struct inputs *in) {
  for (size_t i = 0; i < in->n; i++)
    free(in->v[i].path);
  free(in->v);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether glob matches path as cxr_name_selected() says. */
static bool glob_matches(const char *glob, const char *path) {
  if (!strchr(glob, '/')) {
    const char *base = strrchr(path, '/');
    return fnmatch(glob, base ? base + 1 : path, 0) == 0;
  }
  for (const char *p = path; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
    if (fnmatch(glob, p, 0) == 0) return true;
  return false;
}

bool cxr_name_selected(const struct cxr_run_args *a, const char *path, bool is_bundle) {
  for (size_t i = 0; i < a->nexcludes; i++)
    if (glob_matches(a->excludes[i], path)) return false;
  if (is_bundle || !a->nincludes) return true;
  for (size_t i = 0; i < a->nincludes; i++)
    if (glob_matches(a->includes[i], path)) return true;
  return false;
}

static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir);
  bool slash = n && dir[n - 1] == '/';
  size_t len = n + !slash + strlen(name) + 1;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", name);
  return p;
}

/* The directories a walk is in, from the one it reads up (loops). */
struct ancestor {
  dev_t dev;
  ino_t ino;
  const struct ancestor *up;
};

static int walk(const struct cxr_run_args *args, struct inputs *in, const char *dir,
                const struct ancestor *up);

/* What a file that is neither regular nor a directory is. */
static const char *not_regular(mode_t mode) {
  if (S_ISFIFO(mode)) return "skipped: a FIFO, not a regular file";
  if (S_ISSOCK(mode)) return "skipped: a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "skipped: a device, not a regular file";
  return "skipped: not a regular file";
}

/* One entry of a directory being walked, st from lstat().  A symbolic link
 * is followed only with --follow-symlinks (a link to a directory above it
 * is a loop, skipped); what is skipped is an input that says why. */
static int walk_entry(const struct cxr_run_args *args, struct inputs *in, const char *path,
                      struct stat *st, const struct ancestor *up) {
  if (S_ISLNK(st->st_mode)) {
    if (!args->follow_symlinks)
      return inputs_add(in, path, true,
                        "skipped: a symbolic link (--follow-symlinks follows links)");
    if (stat(path, st) != 0) return inputs_add(in, path, true, NULL); /* opening says why */
    for (const struct ancestor *a = up; a && S_ISDIR(st->st_mode); a = a->up)
      if (a->dev == st->st_dev && a->ino == st->st_ino)
        return inputs_add(in, path, true, "skipped: a symbolic link to a directory above it");
  }
  if (S_ISDIR(st->st_mode)) {
    struct ancestor here = {st->st_dev, st->st_ino, up};
    return walk(args, in, path, &here);
  }
  return inputs_add(in, path, true, S_ISREG(st->st_mode) ? NULL : not_regular(st->st_mode));
}

/* Adds the files under dir, entries in strcmp order, subdirectories where
 * they sort.  Hidden entries (".name") and what --exclude matches are left
 * out; symbolic links, sockets, FIFOs and devices are inputs that say they
 * were skipped.  Returns CX_OK, CX_FAILED (a directory unreadable,
 * reported) or CX_FATAL. */
static int walk(const struct cxr_run_args *args, struct inputs *in, const char *dir,
                const struct ancestor *up) {
  DIR *d = opendir(dir);
  if (!d) {
    cxr_say("%s: cannot read directory: %s", dir, strerror(errno));
    return CX_FAILED;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = CX_OK;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      char **v = realloc(names, cap * sizeof *v);
      if (!v) {
        rc = CX_FATAL;
        break;
      }
      names = v;
    }
    if (!(names[n] = strdup(de->d_name))) {
      rc = CX_FATAL;
      break;
    }
    n++;
  }
  closedir(d);
  if (rc == CX_OK && n) qsort(names, n, sizeof *names, cmp_name);
  int result = CX_OK;
  for (size_t i = 0; i < n && rc != CX_FATAL; i++) {
    char *path = join(dir, names[i]);
    struct stat st;
    if (!path) {
      rc = CX_FATAL;
    } else if (lstat(path, &st) != 0) {
      cxr_say("%s: %s", path, strerror(errno));
      result = CX_FAILED;
    } else if (cxr_name_selected(args, path, true)) {
      /* (--exclude: not even opened; --include is applied once the file is
       * known not to be a bundle) */
      rc = walk_entry(args, in, path, &st, up);
      if (rc == CX_FAILED) {
        result = rc;
        rc = CX_OK;
      }
    }
    free(path);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc == CX_FATAL ? rc : result;
}

int cxr_inputs_expand(const struct cxr_run_args *args, struct inputs *in,
                      unsigned long *walk_failed) {
  int rc = CX_OK;
  struct stat st;
  *walk_failed = 0;
  if (args->ninputs == 0) rc = inputs_add(in, "-", false, NULL);
  for (size_t i = 0; i < args->ninputs && rc != CX_FATAL; i++) {
    const char *p = args->inputs[i];
    if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      struct ancestor top = {st.st_dev, st.st_ino, NULL};
      rc = walk(args, in, p, &top);
      if (rc == CX_FAILED) {
        (*walk_failed)++;
        rc = CX_OK;
      }
    } else {
      rc = inputs_add(in, p, false, NULL); /* a missing file is reported when it is opened */
    }
  }
  return rc;
}

unsigned long long cxr_inputs_total(const struct inputs *in) {
  unsigned long long total = 0;
  struct stat st;
  for (size_t i = 0; i < in->n; i++) {
    if (strcmp(in->v[i].path, "-") == 0 || stat(in->v[i].path, &st) != 0 || !S_ISREG(st.st_mode))
      return 0;
    total += (unsigned long long)st.st_size;
  }
  return total;
}

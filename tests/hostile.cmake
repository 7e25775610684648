# Hostile and broken input, end to end: tests/hostile/test_*.sh run the built
# cablex on inputs generated at test time (tests/hostile/gen.py) in a scratch
# dir they remove, and tests/hostile/fuzz.py mutates the project's own
# fixtures with a fixed seed.  Labels "cli;hostile"; under an ASan+UBSan
# build (-DCABLEX_SANITIZE=ON) the same tests also catch leaks and UB:
#   ctest --test-dir build-asan -L hostile
# Debian's /usr/bin/python3 has jsonschema (validate-json needs it).
if(EXISTS /usr/bin/python3)
  set(CX_HOSTILE_PYTHON /usr/bin/python3)
else()
  find_program(CX_HOSTILE_PYTHON python3 REQUIRED)
endif()
set(CX_HOSTILE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/hostile)
set(CX_HOSTILE_TMP ${CMAKE_CURRENT_BINARY_DIR}/hostile-tmp)
if(CABLEX_SANITIZE)
  set(cx_hostile_sanitize ON)
else()
  set(cx_hostile_sanitize OFF)
endif()

file(GLOB cx_hostile_scripts CONFIGURE_DEPENDS ${CX_HOSTILE_DIR}/test_*.sh)
foreach(script ${cx_hostile_scripts})
  get_filename_component(stem ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" stem ${stem})
  add_test(NAME hostile_${stem} COMMAND sh ${script})
  set_tests_properties(hostile_${stem} PROPERTIES LABELS "cli;hostile"
    SKIP_RETURN_CODE 77 TIMEOUT 600
    ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_BUILD=${CMAKE_BINARY_DIR};CX_TMP=${CX_HOSTILE_TMP}/${stem};CX_SRC=${PROJECT_SOURCE_DIR};CX_PYTHON=${CX_HOSTILE_PYTHON};CX_SANITIZE=${cx_hostile_sanitize}")
endforeach()

# 300 mutants of the raw and JSON fixtures and samples, seed 1: no crash,
# hang, sanitizer report, lost output, unnamed error or invalid JSON.
add_test(NAME hostile_fuzz
  COMMAND ${CX_HOSTILE_PYTHON} ${CX_HOSTILE_DIR}/fuzz.py
          --cablex $<TARGET_FILE:cablex_cli> --tmp ${CX_HOSTILE_TMP}/fuzz
          --seed 1 --count 300 --timeout 300
          --validate ${CMAKE_CURRENT_SOURCE_DIR}/tools/validate-json
          ${PROJECT_SOURCE_DIR}/samples ${CMAKE_CURRENT_SOURCE_DIR}/data/raw
          ${CMAKE_CURRENT_SOURCE_DIR}/data/cli/raw ${CMAKE_CURRENT_SOURCE_DIR}/data/json)
set_tests_properties(hostile_fuzz PROPERTIES LABELS "cli;hostile;fuzz" TIMEOUT 600
  ENVIRONMENT "XDG_CONFIG_HOME=${CX_HOSTILE_TMP}/fuzz-xdg;CABLEX_PLUGIN_PATH=")

# 100 mutants each of xml, csv, html and pdftext (their fixtures and the
# samples converted at test time), seed 1: read by extension, content and
# from a pipe, read with -f, written back and read again; and 100 mutated JSON
# models through the xml, csv and html writers and back.  No crash, hang,
# sanitizer report, unnamed or line-less reader error, or invalid JSON.
# About 12 s of CPU.
# For a long run: --count 2000 --seed N in an ASan+UBSan build.
add_test(NAME hostile_fuzz_formats
  COMMAND ${CX_HOSTILE_PYTHON} ${CX_HOSTILE_DIR}/fuzz_formats.py
          --cablex $<TARGET_FILE:cablex_cli> --src ${PROJECT_SOURCE_DIR}
          --tmp ${CX_HOSTILE_TMP}/fuzz_formats --seed 1 --count 100 --batch 50 --timeout 300
          --validate ${CMAKE_CURRENT_SOURCE_DIR}/tools/validate-json)
set_tests_properties(hostile_fuzz_formats PROPERTIES LABELS "cli;hostile;fuzz" TIMEOUT 600
  ENVIRONMENT "XDG_CONFIG_HOME=${CX_HOSTILE_TMP}/fuzz_formats-xdg;CABLEX_PLUGIN_PATH=")

# The fuzzer must notice a crash and a sanitizer report: run it on stand-ins
# for cablex that crash or report, and expect it to fail.
add_test(NAME hostile_fuzz_catches_crashes
  COMMAND sh -c [=[
py="$1"; fuzz="$2"; tmp="$3"; seeds="$4"
rm -rf "$tmp"; mkdir -p "$tmp"
printf '#!/bin/sh\nkill -SEGV $$\n' >"$tmp/crash"
printf '#!/bin/sh\necho "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2\nexit 1\n' >"$tmp/asan"
printf '#!/bin/sh\necho "cablex: something failed somewhere" >&2\nexit 1\n' >"$tmp/noname"
chmod +x "$tmp/crash" "$tmp/asan" "$tmp/noname"
for fake in crash asan noname; do
  out=$("$py" "$fuzz" --cablex "$tmp/$fake" --tmp "$tmp/run" --count 3 --batch 3 "$seeds")
  rc=$?
  case $rc:$out in
    1:*"FAIL: mutant"*) ;;
    *) echo "the fuzzer missed a failing '$fake' (exit $rc):"; echo "$out"; exit 1 ;;
  esac
done
rm -rf "$tmp"
]=] cx-fuzz-check ${CX_HOSTILE_PYTHON} ${CX_HOSTILE_DIR}/fuzz.py ${CX_HOSTILE_TMP}/fuzz-check
          ${PROJECT_SOURCE_DIR}/samples)
set_tests_properties(hostile_fuzz_catches_crashes PROPERTIES LABELS "hostile;fuzz")

# The same for fuzz_formats.py (pdftext: its seeds need no conversion), and a
# reader's message without its line ("NUL" is about a byte, so it needs one).
add_test(NAME hostile_fuzz_formats_catches_crashes
  COMMAND sh -c [=[
py="$1"; fuzz="$2"; tmp="$3"; src="$4"
rm -rf "$tmp"; mkdir -p "$tmp"
printf '#!/bin/sh\nkill -SEGV $$\n' >"$tmp/crash"
printf '#!/bin/sh\necho "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2\nexit 1\n' >"$tmp/asan"
printf '#!/bin/sh\necho "cablex: something failed somewhere" >&2\nexit 1\n' >"$tmp/noname"
printf '#!/bin/sh\nfor a; do f=$a; done\ncase $f in *.jsonl) f=-;; esac\necho "cablex: $f: pdftext: NUL byte in the text" >&2\nexit 1\n' >"$tmp/noline"
chmod +x "$tmp/crash" "$tmp/asan" "$tmp/noname" "$tmp/noline"
for fake in crash asan noname noline; do
  out=$("$py" "$fuzz" --cablex "$tmp/$fake" --src "$src" --tmp "$tmp/run" --formats pdftext \
        --count 3 --batch 3)
  rc=$?
  case $fake:$rc:$out in
    noline:1:*"without its line"*) ;;
    noline:*) echo "fuzz_formats.py missed a message without its line:"; echo "$out"; exit 1 ;;
    *:1:*"FAIL: pdftext mutant"*) ;;
    *) echo "fuzz_formats.py missed a failing '$fake' (exit $rc):"; echo "$out"; exit 1 ;;
  esac
done
rm -rf "$tmp"
]=] cx-fuzz-formats-check ${CX_HOSTILE_PYTHON} ${CX_HOSTILE_DIR}/fuzz_formats.py
          ${CX_HOSTILE_TMP}/fuzz-formats-check ${PROJECT_SOURCE_DIR})
set_tests_properties(hostile_fuzz_formats_catches_crashes PROPERTIES LABELS "hostile;fuzz")

# The xml plugin: cmocka units built from the plugin's sources, and CLI round
# trips whose every XML output is validated against formats/cable.xsd.
find_package(EXPAT REQUIRED)
set(CX_XML_DIR ${PROJECT_SOURCE_DIR}/plugins/xml)
cx_add_unit_test(test_xml
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_xml.c
          ${CX_XML_DIR}/xml_writer.c ${CX_XML_DIR}/xml_reader.c ${CX_XML_DIR}/xml_plugin.c
  LIBS EXPAT::EXPAT
  LABELS xml)

# Conformance against ../shared (skipped, exit 77, when it is absent): every
# cable of corpus/text through raw -> XML -> raw (byte-identical), XML -> JSON
# (equal to raw -> JSON), every XML validated with formats/cable.xsd.
add_test(NAME conformance_xml_roundtrip
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/xml_roundtrip.py
          $<TARGET_FILE:cablex_cli> ${PROJECT_SOURCE_DIR}/formats/cable.xsd ${CX_SHARED_DIR})
set_tests_properties(conformance_xml_roundtrip PROPERTIES
  LABELS "conformance;xml" SKIP_RETURN_CODE 77 TIMEOUT 600)

# End to end with the built cablex (tests/xml/test_*.sh): round trips,
# escapes, detection, hostile documents.  Every XML made is validated with
# xmllint --schema formats/cable.xsd; the scripts skip (77) without xmllint.
if(CABLEX_SANITIZE)
  set(cx_xml_sanitize ON)
else()
  set(cx_xml_sanitize OFF)
endif()
file(GLOB cx_xml_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/xml/test_*.sh)
foreach(script ${cx_xml_scripts})
  get_filename_component(stem ${script} NAME_WE)
  string(REGEX REPLACE "^test_" "" stem ${stem})
  add_test(NAME xml_${stem} COMMAND sh ${script})
  set_tests_properties(xml_${stem} PROPERTIES LABELS "xml;cli;schema"
    SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "CABLEX=$<TARGET_FILE:cablex_cli>;CX_TMP=${CMAKE_CURRENT_BINARY_DIR}/xml-tmp/${stem};CX_SRC=${PROJECT_SOURCE_DIR};CX_SANITIZE=${cx_xml_sanitize}")
endforeach()

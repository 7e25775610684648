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

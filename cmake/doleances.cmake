# Helpers shared by every CMakeLists.txt of the project.

# Warnings are errors on our own code only (generated protobuf code is exempt).
# Designated initializers that leave members at their defaults are idiomatic C++20.
set(DOLEANCES_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

# Precompiled headers: the heavy third-party headers (gRPC, protobuf, libpqxx, Abseil, and
# GoogleTest for tests) are parsed once per build instead of once per file, which is most of the
# compile time of a small file on 2 cores. Every library (and every test) reuses the one header
# built by doleances_pch (doleances_test_pch), compiled with the same options.
set(DOLEANCES_PCH_HEADERS <grpcpp/grpcpp.h> <pqxx/pqxx> <absl/status/statusor.h>
    <absl/strings/str_cat.h> <absl/time/time.h> <google/protobuf/message.h>)
if(NOT TARGET doleances_pch)
  file(WRITE ${PROJECT_BINARY_DIR}/doleances_pch.cc "")
  add_library(doleances_pch STATIC ${PROJECT_BINARY_DIR}/doleances_pch.cc)
  target_compile_options(doleances_pch PRIVATE ${DOLEANCES_WARNINGS})
  target_link_libraries(doleances_pch PUBLIC gRPC::grpc++ PkgConfig::PQXX absl::statusor
                        absl::strings absl::time protobuf::libprotobuf)
  target_precompile_headers(doleances_pch PRIVATE ${DOLEANCES_PCH_HEADERS})
  add_library(doleances_test_pch STATIC ${PROJECT_BINARY_DIR}/doleances_pch.cc)
  target_compile_options(doleances_test_pch PRIVATE ${DOLEANCES_WARNINGS})
  target_link_libraries(doleances_test_pch PUBLIC doleances_pch GTest::gmock)
  target_precompile_headers(doleances_test_pch PRIVATE ${DOLEANCES_PCH_HEADERS}
                            <gtest/gtest.h> <gmock/gmock.h>)
endif()

# doleances_library(NAME SOURCES ... DEPS ...): a static library of our own code.
function(doleances_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_compile_options(${name} PRIVATE ${DOLEANCES_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE doleances_pch)
  target_precompile_headers(${name} REUSE_FROM doleances_pch)
endfunction()

# doleances_test(NAME SOURCES ... DEPS ... LABEL unit|integration|e2e): one test
# executable per *_test.cc, its cases registered with CTest under the label.
# Integration tests read DOLEANCES_TEST_DATABASE_URL (exported by tests/run.sh).
function(doleances_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    message(FATAL_ERROR "doleances_test(${name}) needs LABEL unit|integration|e2e")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_compile_options(${name} PRIVATE ${DOLEANCES_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock_main doleances_test_pch)
  target_precompile_headers(${name} REUSE_FROM doleances_test_pch)
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} DISCOVERY_TIMEOUT 60)
endfunction()

# doleances_migrations(TARGET SCHEMA name FUNCTION CppName DIR dir): compiles the *.sql files of
# `dir` into a library exposing `const doleances::db::MigrationSet& CppName()` (declared in
# the generated header <TARGET>.h), so binaries carry their schema and need no files at run time.
function(doleances_migrations target)
  cmake_parse_arguments(ARG "" "SCHEMA;FUNCTION;DIR;NAMESPACE" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/*.sql)
  list(SORT sql_files)
  set(out_cc ${CMAKE_CURRENT_BINARY_DIR}/${target}.cc)
  set(out_h ${CMAKE_CURRENT_BINARY_DIR}/${target}.h)
  add_custom_command(
    OUTPUT ${out_cc} ${out_h}
    COMMAND ${CMAKE_COMMAND} -DSCHEMA=${ARG_SCHEMA} -DFUNCTION=${ARG_FUNCTION}
            -DNAMESPACE=${ARG_NAMESPACE} -DOUT_CC=${out_cc} -DOUT_H=${out_h}
            -DDIR=${ARG_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    COMMENT "Embedding ${ARG_SCHEMA} migrations")
  add_library(${target} STATIC ${out_cc})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_BINARY_DIR})
  target_link_libraries(${target} PUBLIC doleances_db)
endfunction()

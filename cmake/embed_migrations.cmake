# Script mode (cmake -P): writes OUT_H / OUT_CC holding the *.sql files of DIR, in name order,
# as a MigrationSet. (The list is globbed here: a list passed on the command line would be split
# by the shell at its semicolons.)
file(GLOB FILES ${DIR}/*.sql)
list(SORT FILES)
set(body "")
foreach(file IN LISTS FILES)
  get_filename_component(version ${file} NAME_WE)
  file(READ ${file} sql)
  string(APPEND body "      {\"${version}\", R\"doleances_sql(${sql})doleances_sql\"},\n")
endforeach()
file(WRITE ${OUT_H} "#pragma once\n// Generated from migrations/*.sql; do not edit.\n#include \"common/db/migrations.h\"\n\nnamespace ${NAMESPACE} {\nconst doleances::db::MigrationSet& ${FUNCTION}();\n}  // namespace ${NAMESPACE}\n")
file(WRITE ${OUT_CC} "// Generated from migrations/*.sql; do not edit.\n#include \"common/db/migrations.h\"\n\nnamespace ${NAMESPACE} {\nconst doleances::db::MigrationSet& ${FUNCTION}() {\n  static const doleances::db::MigrationSet* const set = new doleances::db::MigrationSet{\n    \"${SCHEMA}\", {\n${body}    }};\n  return *set;\n}\n}  // namespace ${NAMESPACE}\n")

# Generates the C++ parser for a grammar in grammar/ with Debian's antlr4 tool at build time.
# The generated code lives in the build tree only and is never committed.

# Debian's antlr4 4.9 runtime header misc/InterpreterDataReader.h does not compile with clang
# (a user-provided constructor default-initialises a Vocabulary whose default constructor is
# deleted); GCC accepts it. Nothing here uses that class, so for clang builds (the fuzzers) a
# copy of the umbrella header without that include is made in the build tree and found first.
set(AF_ANTLR_SHIM_DIR "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(AF_ANTLR_SHIM_DIR "${CMAKE_BINARY_DIR}/antlr4-shim")
  file(READ /usr/include/antlr4-runtime/antlr4-runtime.h _af_umbrella)
  string(REPLACE "#include \"misc/InterpreterDataReader.h\"" "" _af_umbrella "${_af_umbrella}")
  file(WRITE "${AF_ANTLR_SHIM_DIR}/antlr4-runtime.h" "${_af_umbrella}")
endif()
function(af_add_grammar name)
  set(out "${CMAKE_BINARY_DIR}/generated/${name}")
  set(g4 "${CMAKE_SOURCE_DIR}/grammar/${name}.g4")
  set(srcs "${out}/${name}Lexer.cpp" "${out}/${name}Parser.cpp"
           "${out}/${name}Visitor.cpp" "${out}/${name}BaseVisitor.cpp")
  add_custom_command(
    OUTPUT ${srcs}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -no-listener -visitor -Xexact-output-dir
            -o "${out}" "${g4}"
    DEPENDS "${g4}"
    COMMENT "Generating the ${name} parser with antlr4"
    VERBATIM)
  add_library(af_grammar_${name} STATIC ${srcs})
  target_include_directories(af_grammar_${name} SYSTEM BEFORE PUBLIC ${AF_ANTLR_SHIM_DIR} "${out}"
                             /usr/include/antlr4-runtime)
  target_link_libraries(af_grammar_${name} PUBLIC antlr4_shared)
  # Generated code: no warnings of ours apply.
  # antlr 4.7.2 emits u8"..." literals for std::string, which C++20 makes char8_t.
  target_compile_options(af_grammar_${name} PRIVATE -w -fno-char8_t)
  set_target_properties(af_grammar_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

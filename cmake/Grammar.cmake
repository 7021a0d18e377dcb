# Generates the C++ parser for a grammar in grammar/ with Debian's antlr4 tool at build time.
# The generated code lives in the build tree only and is never committed.
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
  target_include_directories(af_grammar_${name} SYSTEM PUBLIC "${out}" /usr/include/antlr4-runtime)
  target_link_libraries(af_grammar_${name} PUBLIC antlr4_shared)
  # Generated code: no warnings of ours apply.
  # antlr 4.7.2 emits u8"..." literals for std::string, which C++20 makes char8_t.
  target_compile_options(af_grammar_${name} PRIVATE -w -fno-char8_t)
  set_target_properties(af_grammar_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

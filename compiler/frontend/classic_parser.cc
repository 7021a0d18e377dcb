#include "compiler/frontend/classic_parser.h"

#include <fmt/format.h>

#include <array>

#include "AuditRulesLexer.h"
#include "AuditRulesParser.h"
#include "compiler/frontend/antlr_support.h"

namespace af::frontend {
namespace {

using P = AuditRulesParser;

// auditctl 3.0.9's long options (src/auditctl.c, long_opts) and whether each takes an
// argument.
struct LongOption {
  std::string_view name;
  bool takes_argument;
};
constexpr std::array kLongOptions = {
    LongOption{"backlog_wait_time", true},
    LongOption{"loginuid-immutable", false},
    LongOption{"reset-lost", false},
    LongOption{"reset_backlog_wait_time_actual", false},
    LongOption{"signal", true},
};

// auditctl reads a rules file with fgets into a 6144-byte buffer.
constexpr size_t kMaxLineBytes = 6143;

}  // namespace

std::string_view resolve_long_option(std::string_view written) {
  for (const LongOption& o : kLongOptions)
    if (o.name == written) return o.name;
  std::string_view found;
  for (const LongOption& o : kLongOptions) {
    if (!written.empty() && o.name.starts_with(written)) {
      if (!found.empty()) return {};  // ambiguous
      found = o.name;
    }
  }
  return found;
}

bool long_option_takes_argument(std::string_view name) {
  for (const LongOption& o : kLongOptions)
    if (o.name == name) return o.takes_argument;
  return false;
}

struct ClassicParser::Impl {
  antlr4::ANTLRInputStream input;
  AuditRulesLexer lexer{&input};
  antlr4::CommonTokenStream tokens{&lexer};
  AuditRulesParser parser{&tokens};
  ErrorCollector errors;

  Impl() {
    lexer.removeErrorListeners();
    lexer.addErrorListener(&errors);
    parser.removeErrorListeners();
    parser.addErrorListener(&errors);
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.long_option_takes_argument = [](const std::string& token) {
      std::string_view t = token;
      t.remove_prefix(2);  // "--"
      if (t.find('=') != std::string_view::npos) return false;
      return long_option_takes_argument(resolve_long_option(t));
    };
  }
};

ClassicParser::ClassicParser() : impl_(std::make_unique<Impl>()) {}
ClassicParser::~ClassicParser() = default;

namespace {

// Checks of the raw bytes that no grammar rule can express.
void check_bytes(const InputLine& in, diag::DiagnosticSink& diags) {
  std::string_view t = in.text;
  if (t.size() > kMaxLineBytes) {
    diags.report(diag::Kind::SyntaxLineTooLong,
                 {in.file, in.line, static_cast<uint32_t>(kMaxLineBytes + 1),
                  static_cast<uint32_t>(kMaxLineBytes + 2)},
                 fmt::format("line is {} bytes; auditctl reads {} bytes at a time and treats the "
                             "rest as another line",
                             t.size(), kMaxLineBytes));
  }
  size_t nul = t.find('\0');
  if (nul != std::string_view::npos) {
    uint32_t col = static_cast<uint32_t>(nul + 1);
    diags.report(diag::Kind::SyntaxNulByte, {in.file, in.line, col, col + 1},
                 "NUL byte in line; auditctl ignores the rest of the line after it");
    t = t.substr(0, nul);
  }
  if (!t.empty() && t.back() == '\r') {
    uint32_t col = static_cast<uint32_t>(t.size());
    diags.report(diag::Kind::SyntaxCarriageReturn, {in.file, in.line, col, col + 1},
                 "line ends with a carriage return (DOS line ending); auditctl keeps it as part "
                 "of the last word");
  }
}

// auditctl turns "\ " into a space and "\\" into a backslash in every word but the first
// (src/auditctl.c, preprocess/postprocess); any other backslash stays.
void unescape_arguments(ParsedLine& out) {
  for (ParsedOption& o : out.options) {
    if (!o.argument || o.argument->text.find('\\') == std::string_view::npos) continue;
    std::string_view in = o.argument->text;
    std::string text;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] == '\\' && i + 1 < in.size() && (in[i + 1] == ' ' || in[i + 1] == '\\')) {
        text += in[++i];
      } else {
        text += in[i];
      }
    }
    out.unescaped.push_back(std::move(text));
    o.argument->text = out.unescaped.back();
  }
}

Word word_of(const InputLine& in, antlr4::Token* tok) {
  size_t start = tok->getStartIndex();
  size_t stop = tok->getStopIndex();
  return {in.text.substr(start, stop + 1 - start), static_cast<uint32_t>(start + 1)};
}

Word word_of(const InputLine& in, antlr4::ParserRuleContext* ctx) {
  return word_of(in, ctx->getStart());
}

void add_short(const InputLine& in, P::ShortOptionContext* ctx, ParsedLine& out,
               diag::DiagnosticSink& diags) {
  ParsedOption o;
  o.kind = OptionKind::Short;
  o.word = word_of(in, ctx->shortWithArgument());
  o.letter = o.word.text[1];
  if (ctx->argument()) {
    o.argument = word_of(in, ctx->argument());
  } else {
    diags.report(diag::Kind::SyntaxMissingArgument, out.range_of(o.word),
                 fmt::format("option '{}' requires an argument", o.word.text));
  }
  out.options.push_back(o);
}

void add_long(const InputLine& in, P::LongOptionContext* ctx, ParsedLine& out,
              diag::DiagnosticSink& diags) {
  ParsedOption o;
  o.kind = OptionKind::Long;
  o.word = word_of(in, ctx->LONG_OPTION()->getSymbol());
  std::string_view body = o.word.text.substr(2);
  size_t eq = body.find('=');
  o.long_name = body.substr(0, eq);
  if (eq != std::string_view::npos) {
    o.argument = Word{body.substr(eq + 1), static_cast<uint32_t>(o.word.column + 3 + eq)};
  } else if (ctx->argument()) {
    o.argument = word_of(in, ctx->argument());
  } else {
    std::string_view name = resolve_long_option(o.long_name);
    if (!name.empty() && long_option_takes_argument(name)) {
      diags.report(diag::Kind::SyntaxMissingArgument, out.range_of(o.word),
                   fmt::format("option '--{}' requires an argument", name));
    }
  }
  out.options.push_back(o);
}

void add_option(const InputLine& in, P::OptionContext* opt, ParsedLine& out,
                diag::DiagnosticSink& diags) {
  if (auto* s = dynamic_cast<P::ShortOptionContext*>(opt)) {
    add_short(in, s, out, diags);
  } else if (auto* a = dynamic_cast<P::AttachedOptionContext*>(opt)) {
    ParsedOption o;
    o.kind = OptionKind::Short;
    o.word = word_of(in, a->ATTACHED_OPTION()->getSymbol());
    o.letter = o.word.text[1];
    o.argument = Word{o.word.text.substr(2), o.word.column + 2};
    out.options.push_back(o);
  } else if (auto* f = dynamic_cast<P::FlagOptionContext*>(opt)) {
    ParsedOption o;
    o.kind = OptionKind::Short;
    o.word = word_of(in, f->SHORT_FLAG()->getSymbol());
    o.letter = o.word.text[1];
    out.options.push_back(o);
  } else if (auto* g = dynamic_cast<P::FlagGroupOptionContext*>(opt)) {
    // getopt reads "-Di" as -D then -i.
    Word w = word_of(in, g->FLAG_GROUP()->getSymbol());
    for (size_t i = 1; i < w.text.size(); ++i) {
      ParsedOption o;
      o.kind = OptionKind::Short;
      o.word = w;
      o.letter = w.text[i];
      out.options.push_back(o);
    }
  } else if (auto* l = dynamic_cast<P::LongOptionItemContext*>(opt)) {
    add_long(in, l->longOption(), out, diags);
  }
}

}  // namespace

ParsedLine ClassicParser::parse(const InputLine& in, diag::DiagnosticSink& diags) {
  ParsedLine out;
  out.file = in.file;
  out.line = in.line;
  out.text = in.text;
  // auditctl's C strings end at a NUL byte: parse what it sees.
  InputLine seen = in;
  seen.text = in.text.substr(0, in.text.find('\0'));
  check_bytes(in, diags);

  Impl& p = *impl_;
  p.errors.sink = &diags;
  p.errors.file = in.file;
  p.errors.line = in.line;
  p.input.load(bytes_as_code_points(seen.text));
  p.lexer.setInputStream(&p.input);
  p.tokens.setTokenSource(&p.lexer);
  p.parser.setTokenStream(&p.tokens);

  P::LineContext* line = p.parser.singleLine()->line();
  if (line->comment()) {
    out.comment = true;
  } else if (auto* cmd = line->command()) {
    for (P::CommandItemContext* item : cmd->commandItem()) {
      if (P::OptionContext* opt = item->option()) {
        add_option(in, opt, out, diags);
      } else if (P::StrayContext* stray = item->stray()) {
        ParsedOption o;
        o.kind = OptionKind::Stray;
        o.word = word_of(in, stray);
        out.options.push_back(o);
      }
    }
  }
  // Parse trees live until the tracker is reset; one line's tree is all we keep.
  p.parser.getTreeTracker().reset();
  // The first word is never unescaped; it is the option itself.
  unescape_arguments(out);
  return out;
}

}  // namespace af::frontend

#include "compiler/frontend/policy_parser.h"

#include "AuditPolicyLexer.h"
#include "AuditPolicyParser.h"
#include "compiler/frontend/antlr_support.h"

namespace af::frontend {
namespace {

using P = AuditPolicyParser;

class Builder {
 public:
  Builder(const diag::SourceFile& source, uint32_t file) : source_(source), file_(file) {}

  ir::SourceRange range(antlr4::ParserRuleContext* ctx) const {
    antlr4::Token* start = ctx->getStart();
    antlr4::Token* stop = ctx->getStop();
    uint32_t col = static_cast<uint32_t>(start->getCharPositionInLine()) + 1;
    uint32_t end = col + 1;
    if (stop && stop->getLine() == start->getLine())
      end = static_cast<uint32_t>(stop->getCharPositionInLine() + stop->getText().size()) + 1;
    return {file_, static_cast<uint32_t>(start->getLine()), col, end};
  }

  // Token text is bytes re-encoded as code points; take the original bytes instead.
  std::string text(antlr4::ParserRuleContext* ctx) const {
    if (!ctx || !ctx->getStart() || !ctx->getStop() ||
        ctx->getStop()->getStopIndex() + 1 < ctx->getStart()->getStartIndex())
      return "";
    return std::string(source_.bytes.substr(
        ctx->getStart()->getStartIndex(),
        ctx->getStop()->getStopIndex() + 1 - ctx->getStart()->getStartIndex()));
  }
  std::string text(antlr4::tree::TerminalNode* node) const {
    if (!node) return "";
    antlr4::Token* t = node->getSymbol();
    return std::string(
        source_.bytes.substr(t->getStartIndex(), t->getStopIndex() + 1 - t->getStartIndex()));
  }

  // "..." without the quotes: \" and \\ stand for themselves, \n and \t for those bytes;
  // any other backslash is kept (so regular expressions read naturally: "\.swp$").
  std::string unquote(const std::string& quoted) const {
    std::string out;
    for (size_t i = 1; i + 1 < quoted.size(); ++i) {
      char next = i + 2 < quoted.size() ? quoted[i + 1] : '\0';
      if (quoted[i] == '\\' && (next == '"' || next == '\\' || next == 'n' || next == 't')) {
        ++i;
        out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      } else {
        out += quoted[i];
      }
    }
    return out;
  }

  policy::Value value(P::ValueContext* v) const {
    policy::Value out;
    out.range = range(v);
    out.negative = v->getStart()->getText() == "-";
    if (v->STRING()) {
      out.kind = policy::Value::Kind::String;
      out.text = unquote(text(v->STRING()));
    } else if (v->NUMBER()) {
      out.kind = policy::Value::Kind::Number;
      out.text = text(v->NUMBER());
    } else {
      out.kind = policy::Value::Kind::Name;
      out.text = text(v->name());
    }
    return out;
  }

  std::vector<policy::Value> values(const std::vector<P::ValueContext*>& vs) const {
    std::vector<policy::Value> out;
    for (auto* v : vs) out.push_back(value(v));
    return out;
  }

  std::vector<std::pair<std::string, ir::SourceRange>> names(
      const std::vector<P::NameContext*>& ns) const {
    std::vector<std::pair<std::string, ir::SourceRange>> out;
    for (auto* n : ns) out.emplace_back(text(n), range(n));
    return out;
  }

  ir::Op op(P::OpContext* o) const {
    std::string t = o->getText();
    if (t == "==") return ir::Op::Equal;
    if (t == "!=") return ir::Op::NotEqual;
    if (t == "<") return ir::Op::Less;
    if (t == ">") return ir::Op::Greater;
    if (t == "<=") return ir::Op::LessEqual;
    if (t == ">=") return ir::Op::GreaterEqual;
    if (t == "&") return ir::Op::BitMask;
    return ir::Op::BitTest;
  }

  // "x not in ...": a direct 'not' token among the children.
  static bool has_not(antlr4::ParserRuleContext* ctx) {
    for (antlr4::tree::ParseTree* child : ctx->children)
      if (dynamic_cast<antlr4::tree::TerminalNode*>(child) && child->getText() == "not")
        return true;
    return false;
  }

  policy::Expr expr(P::ExprContext* e) const {
    policy::Expr out;
    out.range = range(e);
    if (auto* n = dynamic_cast<P::NotExprContext*>(e)) {
      out.kind = policy::Expr::Kind::Not;
      out.children.push_back(expr(n->expr()));
    } else if (auto* a = dynamic_cast<P::AndExprContext*>(e)) {
      out.kind = policy::Expr::Kind::And;
      out.children = {expr(a->expr(0)), expr(a->expr(1))};
    } else if (auto* o = dynamic_cast<P::OrExprContext*>(e)) {
      out.kind = policy::Expr::Kind::Or;
      out.children = {expr(o->expr(0)), expr(o->expr(1))};
    } else if (auto* p = dynamic_cast<P::ParenExprContext*>(e)) {
      return expr(p->expr());
    } else if (auto* c = dynamic_cast<P::CompareExprContext*>(e)) {
      out.kind = policy::Expr::Kind::Compare;
      out.name = text(c->name());
      out.name_range = range(c->name());
      out.op = op(c->op());
      out.values.push_back(value(c->value()));
    } else if (auto* l = dynamic_cast<P::InListExprContext*>(e)) {
      out.kind = policy::Expr::Kind::InList;
      out.name = text(l->name());
      out.name_range = range(l->name());
      out.negated = has_not(l);
      out.values = values(l->value());
    } else if (auto* r = dynamic_cast<P::InRangeExprContext*>(e)) {
      out.kind = policy::Expr::Kind::InRange;
      out.name = text(r->name());
      out.name_range = range(r->name());
      out.negated = has_not(r);
      out.values = values(r->value());
    } else if (auto* nl = dynamic_cast<P::InNamedListExprContext*>(e)) {
      out.kind = policy::Expr::Kind::InNamedList;
      out.name = text(nl->name(0));
      out.name_range = range(nl->name(0));
      out.list = text(nl->name(1));
      out.negated = has_not(nl);
    } else if (auto* ref = dynamic_cast<P::ConditionRefExprContext*>(e)) {
      out.kind = policy::Expr::Kind::ConditionRef;
      out.name = text(ref->name());
      out.name_range = range(ref->name());
    }
    return out;
  }

  policy::RuleDecl rule(P::RuleItemContext* r) const {
    policy::RuleDecl d;
    d.kind = r->ruleKind()->getText();
    d.name = text(r->name());
    d.name_range = range(r->name());
    d.range = range(r);
    d.override = r->getStart()->getText() == "override";
    if (r->STRING()) {
      d.argument = unquote(text(r->STRING()));
      antlr4::Token* t = r->STRING()->getSymbol();
      uint32_t col = static_cast<uint32_t>(t->getCharPositionInLine()) + 1;
      d.argument_range = {file_, static_cast<uint32_t>(t->getLine()), col,
                          col + static_cast<uint32_t>(t->getText().size())};
    }
    for (P::PropertyContext* p : r->property()) {
      if (auto* x = dynamic_cast<P::DescriptionPropContext*>(p)) {
        d.description = unquote(text(x->STRING()));
      } else if (auto* t = dynamic_cast<P::TagsPropContext*>(p)) {
        for (const policy::Value& v : values(t->value())) d.tags.push_back(v.text);
      } else if (auto* k = dynamic_cast<P::KeyPropContext*>(p)) {
        d.keys.emplace();
        for (auto* str : k->STRING()) d.keys->push_back(unquote(text(str)));
      } else if (auto* s = dynamic_cast<P::SeverityPropContext*>(p)) {
        d.severity = text(s->name());
      } else if (auto* sc = dynamic_cast<P::SyscallsPropContext*>(p)) {
        auto more = values(sc->value());
        d.syscalls.insert(d.syscalls.end(), more.begin(), more.end());
      } else if (auto* a = dynamic_cast<P::ArchPropContext*>(p)) {
        d.arches = names(a->name());
      } else if (auto* pm = dynamic_cast<P::PermPropContext*>(p)) {
        d.perms = names(pm->name());
      } else if (auto* ac = dynamic_cast<P::ActionPropContext*>(p)) {
        d.action = std::make_pair(text(ac->name()), range(ac->name()));
      } else if (auto* w = dynamic_cast<P::WherePropContext*>(p)) {
        d.where = expr(w->expr());
      } else if (auto* mp = dynamic_cast<P::MessagePropContext*>(p)) {
        d.message = std::make_pair(text(mp->name()), range(mp->name()));
      } else if (auto* rp = dynamic_cast<P::RegexPropContext*>(p)) {
        d.regex = unquote(text(rp->STRING()));
      } else if (auto* ig = dynamic_cast<P::IntegrityPropContext*>(p)) {
        d.integrity.emplace();
        d.integrity_range = range(ig);
        for (P::SettingContext* st : ig->setting())
          d.integrity->push_back({text(st->name()), values(st->value()), range(st)});
      }
    }
    if (d.kind != "watch" && d.argument && d.description.empty()) d.description = *d.argument;
    return d;
  }

  policy::Item item(P::ItemContext* it) const {
    if (auto* i = dynamic_cast<P::IncludeItemContext*>(it))
      return policy::Include{unquote(text(i->STRING())), range(i)};
    if (auto* t = dynamic_cast<P::TargetItemContext*>(it))
      return policy::Target{names(t->name()), range(t)};
    if (auto* s = dynamic_cast<P::SettingsItemContext*>(it)) {
      policy::Settings out;
      for (P::SettingContext* st : s->setting())
        out.settings.push_back({text(st->name()), values(st->value()), range(st)});
      return out;
    }
    if (auto* l = dynamic_cast<P::ListItemContext*>(it))
      return policy::ListDecl{text(l->name()), false, values(l->value()), range(l)};
    if (auto* x = dynamic_cast<P::ExtendItemContext*>(it))
      return policy::ListDecl{text(x->name()), true, values(x->value()), range(x)};
    if (auto* c = dynamic_cast<P::ConditionItemContext*>(it))
      return policy::ConditionDecl{text(c->name()), expr(c->expr()), range(c)};
    if (auto* d = dynamic_cast<P::DisableItemContext*>(it))
      return policy::Disable{d->ruleKind()->getText(), text(d->name()), range(d)};
    return rule(dynamic_cast<P::RuleItemContext*>(it));
  }

 private:
  const diag::SourceFile& source_;
  uint32_t file_;
};

}  // namespace

policy::PolicyFile parse_policy(const diag::SourceSet& sources, uint32_t file,
                                diag::DiagnosticSink& diags) {
  const diag::SourceFile& source = sources.file(file);
  antlr4::ANTLRInputStream input(bytes_as_code_points(source.bytes));
  AuditPolicyLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  AuditPolicyParser parser(&tokens);
  ErrorCollector errors;
  errors.sink = &diags;
  errors.file = file;
  lexer.removeErrorListeners();
  lexer.addErrorListener(&errors);
  parser.removeErrorListeners();
  parser.addErrorListener(&errors);
  P::PolicyContext* tree = parser.policy();
  policy::PolicyFile out;
  out.file = file;
  // After a syntax error ANTLR's recovery leaves holes in the tree; lowering a half-parsed
  // file would only add confusing follow-on errors, so the file contributes nothing more.
  if (parser.getNumberOfSyntaxErrors() > 0 || lexer.getNumberOfSyntaxErrors() > 0) return out;
  Builder b(source, file);
  for (P::ItemContext* it : tree->item()) {
    // Items that failed to parse are left out; their errors were reported.
    if (it->exception != nullptr) continue;
    bool complete = it->getStop() != nullptr;
    if (!complete) continue;
    out.items.push_back(b.item(it));
  }
  return out;
}

}  // namespace af::frontend

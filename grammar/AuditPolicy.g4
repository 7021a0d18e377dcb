// The auditforge policy language: named rules with intent, compiled to kernel audit rules.
// docs/language.md is the reference. Like AuditRules.g4 this grammar fixes shape only; names,
// fields and values are checked in compiler/sema/policy_lower.cc so errors carry our ids.
grammar AuditPolicy;

policy : item* EOF ;

item
  : 'include' STRING                                            # includeItem
  | 'target' 'arch' name (',' name)*                            # targetItem
  | 'settings' '{' setting* '}'                                 # settingsItem
  | 'list' name '=' '[' (value (',' value)*)? ']'               # listItem
  | 'extend' 'list' name '[' (value (',' value)*)? ']'          # extendItem
  | 'condition' name '=' expr                                   # conditionItem
  | 'disable' ruleKind name                                     # disableItem
  | 'override'? ruleKind name STRING? '{' property* '}'         # ruleItem
  ;

// rule: syscall rule (exit list unless `list` says otherwise); never: a rule whose action
// is never; watch: a file or directory watch whose path is the string after the name;
// exclude, user, task, filesystem: rules of those lists.
// filter: a go-audit message filter (go-audit target only).
ruleKind : 'rule' | 'never' | 'watch' | 'exclude' | 'user' | 'task' | 'filesystem' | 'filter' ;

setting : name (value (',' value)* | '[' (value (',' value)*)? ']') ;

property
  : 'description' STRING                                        # descriptionProp
  | 'tags' '[' (value (',' value)*)? ']'                        # tagsProp
  | 'key' STRING (',' STRING)*                                   # keyProp
  | 'severity' name                                             # severityProp
  | 'syscalls' value (',' value)*                               # syscallsProp
  | 'arch' name (',' name)*                                     # archProp
  | 'perm' name (',' name)*                                     # permProp
  | 'action' name                                               # actionProp
  | 'where' expr                                                # whereProp
  | 'message' name                                              # messageProp
  | 'regex' STRING                                              # regexProp
  // Watches only: also monitor the files' content with Auditbeat's file_integrity module.
  | 'integrity' '{' setting* '}'                                # integrityProp
  ;

expr
  : 'not' expr                                                  # notExpr
  | expr 'and' expr                                             # andExpr
  | expr 'or' expr                                              # orExpr
  | '(' expr ')'                                                # parenExpr
  | name op value                                               # compareExpr
  | name 'not'? 'in' '[' value (',' value)* ']'                 # inListExpr
  | name 'not'? 'in' value '..' value                           # inRangeExpr
  | name 'not'? 'in' name                                       # inNamedListExpr
  | name                                                        # conditionRefExpr
  ;

op : '==' | '!=' | '<' | '>' | '<=' | '>=' | '&' | '&=' ;

value
  : STRING
  | '-'? NUMBER
  | '-'? name
  ;

// Keywords may also be used as names (a rule called "key", a field called "perm").
name
  : IDENT
  | 'rule' | 'never' | 'watch' | 'exclude' | 'user' | 'task' | 'filesystem' | 'list'
  | 'key' | 'tags' | 'severity' | 'syscalls' | 'arch' | 'perm' | 'action' | 'description'
  | 'target' | 'settings' | 'condition' | 'include' | 'extend' | 'disable' | 'override'
  | 'integrity' | 'filter' | 'message' | 'regex'
  ;

NUMBER : [0-9] [0-9a-fA-FxX]* ;
IDENT : [a-zA-Z_] [a-zA-Z0-9_.:\-]* ;
STRING : '"' (~["\\\n] | '\\' .)* '"' ;
COMMENT : '#' ~[\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;
// Anything else becomes one token the parser reports with our own message.
ERROR_CHAR : . ;

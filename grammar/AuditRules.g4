// Classic audit rule syntax: the lines of an audit.rules file as `auditctl -R` reads them.
//
// The grammar captures shape only: which option a word is and which word is its argument.
// Values (list names, field pairs, syscall names, numbers) are checked in compiler/sema so
// that every error carries an auditforge id, a location and a caret.
//
// Tokenisation follows auditctl 3.0.9 (src/auditctl.c fileopt, common/strsplit.c): words are
// separated by the space character only, and a backslash-space pair is part of a word (the
// front end turns it into a space, and a double backslash into one). Tabs, carriage returns
// and every other byte belong to the word they touch, exactly as auditctl sees them. Options follow getopt_long: an option
// that takes an argument consumes the next word whatever it looks like (`-k -a` gives the key
// "-a"), and a short option may carry its argument attached (`-aexit,always`).
grammar AuditRules;

@parser::header {
#include <functional>
#include <string>
}

@parser::members {
  /// True when the long option just matched takes a separate argument word. Set by the
  /// front end before parsing; getopt_long decides this from the option's name.
  std::function<bool(const std::string&)> long_option_takes_argument;

  bool nextIsArgumentOf(antlr4::Token* option) {
    return long_option_takes_argument && long_option_takes_argument(option->getText());
  }
}

file : line (NL line)* EOF ;

// One line on its own: the front end splits input into lines first (augenrules reorders
// whole lines of a rules.d folder before auditctl reads them), then parses each.
singleLine : line EOF ;

// A line holds a comment, a command, or nothing (blank or spaces only).
line : SP? (comment | command)? SP? ;

// auditctl skips a line whose first word starts with '#'; there are no trailing comments.
comment : HASH_WORD (SP anyWord)* ;

command : commandItem (SP commandItem)* ;

commandItem
  : option
  | stray
  ;

// A word where an option was expected: auditctl rejects it ("parameter passed without an
// option given"), except that a '#' later on the line is the classic trailing-comment mistake.
stray : WORD | HASH_WORD ;

option
  : shortWithArgument (SP argument)?      # shortOption
  | ATTACHED_OPTION                       # attachedOption
  | SHORT_FLAG                            # flagOption
  | FLAG_GROUP                            # flagGroupOption
  | longOption                            # longOptionItem
  ;

shortWithArgument
  : OPT_APPEND | OPT_PREPEND | OPT_DELETE | OPT_SYSCALL | OPT_FIELD | OPT_COMPARE
  | OPT_KEY | OPT_PERM | OPT_WATCH | OPT_UNWATCH | OPT_ENABLE | OPT_FAILURE | OPT_RATE
  | OPT_BACKLOG | OPT_MESSAGE | OPT_EQUIV | OPT_RULES_FILE
  ;

longOption : LONG_OPTION ({nextIsArgumentOf(_input->LT(-1))}? SP argument)? ;

// Any word can be an argument: getopt hands over the next argv entry unchanged.
argument : anyWord ;

anyWord
  : WORD | HASH_WORD | ATTACHED_OPTION | SHORT_FLAG | FLAG_GROUP | LONG_OPTION
  | OPT_APPEND | OPT_PREPEND | OPT_DELETE | OPT_SYSCALL | OPT_FIELD | OPT_COMPARE
  | OPT_KEY | OPT_PERM | OPT_WATCH | OPT_UNWATCH | OPT_ENABLE | OPT_FAILURE | OPT_RATE
  | OPT_BACKLOG | OPT_MESSAGE | OPT_EQUIV | OPT_RULES_FILE
  ;

// ---- lexer ----------------------------------------------------------------------------
// Longest match wins; on equal length the rule listed first wins, so "-a" is OPT_APPEND
// and "-ax" is ATTACHED_OPTION, while "-1" or "/etc" are plain WORDs.

OPT_APPEND     : '-a' ;
OPT_PREPEND    : '-A' ;
OPT_DELETE     : '-d' ;
OPT_SYSCALL    : '-S' ;
OPT_FIELD      : '-F' ;
OPT_COMPARE    : '-C' ;
OPT_KEY        : '-k' ;
OPT_PERM       : '-p' ;
OPT_WATCH      : '-w' ;
OPT_UNWATCH    : '-W' ;
OPT_ENABLE     : '-e' ;
OPT_FAILURE    : '-f' ;
OPT_RATE       : '-r' ;
OPT_BACKLOG    : '-b' ;
OPT_MESSAGE    : '-m' ;
OPT_EQUIV      : '-q' ;
OPT_RULES_FILE : '-R' ;

// Options without an argument: -D delete all, -c continue, -i ignore errors, -l list,
// -s status, -t trim, -h help, -v version.
SHORT_FLAG : '-' [Dcilsthv] ;

// getopt allows several flags in one word ("-Di").
FLAG_GROUP : '-' [Dcilsthv] [Dcilsthv]+ ;

// A short option with its argument in the same word ("-aexit,always", "-k-key").
ATTACHED_OPTION : '-' [aAdSFCkpwWefrbmqR] WORD_CHAR+ ;

// "--name" or "--name=value"; which names exist and take an argument is decided in sema.
LONG_OPTION : '--' WORD_CHAR* ;

HASH_WORD : '#' WORD_CHAR* ;

WORD : WORD_CHAR+ ;

// Any byte but space and newline; a backslash takes the next byte (a space too) with it.
fragment WORD_CHAR : ~[ \n\\] | '\\' ~[\n] | '\\' ;

SP : ' '+ ;

NL : '\n' ;

// FalconEngine: Falco's rule language.
//
//   Syntax/   ConditionParser (libsinsp's filter grammar, EBNF in its header), ConditionLexer,
//             ConditionExpression (the AST, with positions) and its canonical string.
//   Fields/   FieldTable: the hook through which the full field table (a later stage) plugs in.
//   Compile/  FilterTypeCheck: libsinsp's compile-time checks of operators and constants.
//   Loader/   RuleLoader: Falco's three stages (RuleReader: YAML to items, RuleCollector:
//             define/append/override, RuleCompiler: lists, macros, exceptions, warnings) giving a
//             CompiledRuleset and Falco's errors and warnings with file:line:col.
//
// Runtime matching over FalconEvents' events comes later.

public import PolicyCore

// The grammar of Falco conditions (libsinsp's filter language), as this parser reads it. Same
// language as libsinsp's `filter/parser.h`; written here from its tests and behaviour.
//
//   Expr            ::= OrExpr
//   OrExpr          ::= AndExpr ('or' OrTail)*
//   OrTail          ::= Blank AndExpr | '(' Expr ')'          -- 'or(' needs no blank
//   AndExpr         ::= NotExpr ('and' AndTail)*
//   AndTail         ::= Blank NotExpr | '(' Expr ')'
//   NotExpr         ::= NotBlank* ('not(' Expr ')' | Check)   -- each 'not' flips the negation
//   Check           ::= '(' Expr ')'
//                     | Field Condition
//                     | Transformer Condition
//                     | Identifier                            -- a macro reference
//   Field           ::= FieldName ('[' FieldArg ']')?         -- no blank before '['
//   FieldArg        ::= QuotedStr | FieldArgBareStr
//   Transformer     ::= OneArgName '(' (Transformer | Field) ')'
//                     | 'join(' QuotedStr ',' '(' (Item (',' Item)*)? ')' ')'
//                     | 'concat(' Item (',' Item)* ')'
//                     | 'getopt(' (StrList | Transformer | Field) ',' QuotedStr ')' ('[' FieldArg ']')?
//   OneArgName      ::= 'tolower' | 'toupper' | 'b64' | 'basename' | 'len'   -- no blank before '('
//   Item            ::= Transformer | Field | QuotedStr | Number             -- not inside 'concat'
//   Condition       ::= UnaryOp
//                     | NumOp (RightTransformer | HexNumber | Number)
//                     | StrOp Blank Modifier Blank (StrList | Identifier)
//                     | StrOp (RightTransformer | StrValue)
//                     | ListOp (StrList | RightTransformer | Identifier)
//   RightTransformer::= 'val(' Field ')' | Transformer
//   StrList         ::= '(' (StrValue (',' StrValue)*)? ')'
//   StrValue        ::= QuotedStr | BareStr
//   Modifier        ::= 'oneof' | 'anyof' | 'allof'            -- only when a list or a list
//                                                               -- name follows, else a BareStr
//   UnaryOp         ::= 'exists'
//   NumOp           ::= '<=' | '<' | '>=' | '>'
//   StrOp           ::= '==' | '=' | '!='
//                     | ('glob' | 'iglob' | 'contains' | 'icontains' | 'bcontains'
//                        | 'startswith' | 'bstartswith' | 'endswith' | 'regex') Blank
//   ListOp          ::= 'intersects' | 'in' | 'pmatch'
//
// Blank may appear between any two tokens except where noted, and token classes are those of
// ConditionLexer. Operators and keywords are case-sensitive. The whole text must be consumed.
// Every rule counts one level of depth; past `maxDepth` (libsinsp: 100) parsing stops with
// `limit_nesting_depth`, so hostile input such as 100,000 '(' fails fast on a small stack.

/// A syntax error in a condition: libsinsp's message and the cursor position where it stopped.
public struct ConditionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// libsinsp's wording (`expected a ')' token`).
  public var message: String
  /// Where the parser stopped, in the condition text.
  public var position: ConditionPosition
  /// True when the nesting depth limit stopped the parser.
  public var isDepthLimit: Bool

  /// Creates an error.
  public init(message: String, position: ConditionPosition, isDepthLimit: Bool = false) {
    self.message = message
    self.position = position
    self.isDepthLimit = isDepthLimit
  }

  /// The diagnostic code: `falcon_condition_syntax`, or `limit_nesting_depth`.
  public var code: Diagnostic.Code { isDepthLimit ? .limitNestingDepth : .falconConditionSyntax }

  /// `at index 4, line 1, column 5: expected a ')' token`.
  public var description: String { "at \(position): \(message)" }

  /// A diagnostic pointing into `file`, where the condition text starts at byte `base`.
  public func diagnostic(in file: SourceFile, base: Int = 0) -> Diagnostic {
    Diagnostic(code, message, span: SourceSpan(file: file, start: base + position.offset))
  }
}

extension Diagnostic.Code {
  /// A Falco condition does not follow the libsinsp filter grammar.
  public static let falconConditionSyntax = Self("falcon_condition_syntax")
}

/// Parses Falco conditions into `ConditionExpression` trees, accepting exactly the libsinsp
/// filter language (see the grammar at the top of this file).
///
///     var parser = ConditionParser("proc.name in (bash, sh) and not proc.pname = sshd")
///     let ast = try parser.parse()
///
/// The parser is a recursive descent over the raw bytes, with libsinsp's token classes tried at
/// the cursor, so it accepts and rejects the same strings and reports the same positions.
public struct ConditionParser {
  /// libsinsp's default nesting limit.
  public static let defaultMaxDepth = 100

  /// Every comparison operator, in libsinsp's order (`parser::supported_operators()`).
  public static let supportedOperators: [String] =
    unaryOperators + numericOperators + stringOperators + listOperators

  /// Operators whose right-hand side is a list (`parser::supported_operators(true)`).
  public static let listOperators = ["intersects", "in", "pmatch"]

  /// Operators a list modifier (`oneof`, `anyof`, `allof`) may follow.
  public static let modifiableOperators: Set<String> = Set(stringOperators)

  /// Field transformers, `val` first (`parser::supported_field_transformers(true)`).
  public static let supportedTransformers = ["val"] + oneArgumentTransformers + ["join", "concat", "getopt"]

  static let unaryOperators = ["exists"]
  static let numericOperators = ["<=", "<", ">=", ">"]
  static let stringOperators = [
    "==", "=", "!=", "glob", "iglob", "contains", "icontains", "bcontains", "startswith", "bstartswith",
    "endswith", "regex",
  ]
  static let symbolicStringOperators = ["==", "=", "!="]
  static let wordStringOperators = Array(stringOperators.dropFirst(3))
  static let oneArgumentTransformers = ["tolower", "toupper", "b64", "basename", "len"]
  static let transformerOpenings = (oneArgumentTransformers + ["join", "concat", "getopt"]).map { $0 + "(" }

  private var lexer: ConditionLexer
  private var depth = 0
  private let maxDepth: Int

  /// Creates a parser over `text`. `maxDepth` bounds the recursion (Falco's rule loader uses 1000
  /// for rule conditions; libsinsp's default is 100).
  public init(_ text: String, maxDepth: Int = ConditionParser.defaultMaxDepth) {
    self.lexer = ConditionLexer(bytes: Array(text.utf8))
    self.maxDepth = maxDepth
  }

  /// Where the parser stopped (libsinsp's `get_pos()`): after a successful parse, the end of
  /// the text; after an error, the place of the error.
  public var position: ConditionPosition { lexer.position }

  /// Parses the whole text.
  /// - Throws: `ConditionSyntaxError` with libsinsp's message and position.
  public mutating func parse() throws(ConditionSyntaxError) -> ConditionExpression {
    if lexer.bytes.isEmpty { throw failure("filter input string is empty") }
    lexer.reset(to: .start)
    depth = 0
    let result = try parseOr()
    if !lexer.atEnd {
      throw failure("unexpected token after '\(lexer.lastToken)', expecting 'or', 'and'")
    }
    return result
  }

  /// Parses a condition held in a string, reporting errors as diagnostics against a source file
  /// named `name`.
  /// - Throws: `falcon_condition_syntax` or `limit_nesting_depth`, with the position.
  public static func parse(_ text: String, name: String = "<condition>", maxDepth: Int = defaultMaxDepth) throws(Diagnostic) -> ConditionExpression {
    var parser = ConditionParser(text, maxDepth: maxDepth)
    do {
      return try parser.parse()
    } catch {
      throw error.diagnostic(in: SourceFile(name: name, text: text))
    }
  }

  // MARK: - Helpers

  private func failure(_ message: String) -> ConditionSyntaxError {
    ConditionSyntaxError(message: message, position: lexer.position)
  }

  private mutating func enter() throws(ConditionSyntaxError) {
    depth += 1
    if depth >= maxDepth {
      throw ConditionSyntaxError(message: "exceeded max depth limit of \(maxDepth)", position: lexer.position, isDepthLimit: true)
    }
  }

  private mutating func lexQuoted() throws(ConditionSyntaxError) -> Bool {
    do {
      return try lexer.lexQuotedString()
    } catch {
      throw failure(error.message)
    }
  }

  private static func quotedList(_ items: [String]) -> String {
    items.map { "'\($0)'" }.joined(separator: ", ")
  }

  private static let transformerList = quotedList(supportedTransformers)

  /// Consumes a transformer name with its opening parenthesis; returns the name.
  private mutating func lexTransformerOpening() -> String? {
    lexer.lexFirst(of: Self.transformerOpenings).map { String($0.dropLast()) }
  }

  // MARK: - Boolean structure

  private mutating func parseOr() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    let start = lexer.position
    lexer.lexBlank()
    var children = [try parseAnd()]
    lexer.lexBlank()
    while lexer.lex("or") {
      if lexer.lexBlank() {
        children.append(try parseAnd())
      } else if lexer.lex("(") {
        children.append(try parseEmbeddedRemainder())
      } else {
        throw failure("expected blank or '(' after 'or'")
      }
      lexer.lexBlank()
    }
    return children.count > 1 ? ConditionExpression(.or(children), at: start) : children[0]
  }

  private mutating func parseAnd() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    let start = lexer.position
    lexer.lexBlank()
    var children = [try parseNot()]
    lexer.lexBlank()
    while lexer.lex("and") {
      if lexer.lexBlank() {
        children.append(try parseNot())
      } else if lexer.lex("(") {
        children.append(try parseEmbeddedRemainder())
      } else {
        throw failure("expected blank or '(' after 'and'")
      }
      lexer.lexBlank()
    }
    return children.count > 1 ? ConditionExpression(.and(children), at: start) : children[0]
  }

  private mutating func parseNot() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    let start = lexer.position
    var negated = false
    lexer.lexBlank()
    while lexer.lexNotBlank() { negated.toggle() }
    let child: ConditionExpression
    if lexer.lex("not(") {
      negated.toggle()
      child = try parseEmbeddedRemainder()
    } else {
      child = try parseCheck()
    }
    return negated ? ConditionExpression(.not(child), at: start) : child
  }

  /// The rest of a parenthesised expression, after its '('.
  private mutating func parseEmbeddedRemainder() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    let child = try parseOr()
    lexer.lexBlank()
    if !lexer.lex(")") { throw failure("expected a ')' token") }
    return child
  }

  private mutating func parseCheck() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    let start = lexer.position
    lexer.lexBlank()
    if lexer.lex("(") { return try parseEmbeddedRemainder() }
    if lexer.lexFieldName() {
      let left = try parseFieldRemainder(name: lexer.lastToken, at: start)
      return try parseCondition(left: left, at: start)
    }
    if let transformer = lexTransformerOpening() {
      lexer.lexBlank()
      let left = try parseTransformerRemainder(name: transformer, at: start)
      return try parseCondition(left: left, at: start)
    }
    if lexer.lexIdentifier() { return .identifier(lexer.lastToken, at: start) }
    throw failure("expected a '(' token, a field check, or an identifier")
  }

  // MARK: - Fields and transformers

  /// The optional `[argument]` after a field name.
  private mutating func parseFieldRemainder(name: String, at start: ConditionPosition) throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    return .field(name, try parseFieldArgument(), at: start)
  }

  private mutating func parseFieldArgument() throws(ConditionSyntaxError) -> String? {
    guard lexer.lex("[") else { return nil }
    if !(try lexQuoted()) && !lexer.lexFieldArgBareString() {
      throw failure("expected a valid field argument: a quoted string or a bare string")
    }
    let argument = lexer.lastToken
    if !lexer.lex("]") { throw failure("expected a ']' token") }
    return argument
  }

  /// The rest of a transformer call, after `name(` and any blanks.
  private mutating func parseTransformerRemainder(name: String, at start: ConditionPosition) throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    var arguments: [ConditionExpression] = []
    var index: String?
    switch name {
    case "join":
      let separatorStart = lexer.position
      guard try lexQuoted() else { throw failure("expected a quoted string as the first argument of 'join'") }
      arguments.append(.value(lexer.lastToken, at: separatorStart))
      try expectComma()
      lexer.lexBlank()
      let listStart = lexer.position
      guard lexer.lex("(") else { throw failure("expected a '(' token opening the list of 'join'") }
      var items: [ConditionExpression] = []
      lexer.lexBlank()
      if !lexer.lex(")") {
        repeat {
          lexer.lexBlank()
          items.append(try parseTransformerItem(numbers: true))
          lexer.lexBlank()
        } while lexer.lex(",")
        if !lexer.lex(")") { throw failure("expected a ')' token") }
      }
      arguments.append(ConditionExpression(.expressionList(items), at: listStart))
    case "concat":
      repeat {
        lexer.lexBlank()
        arguments.append(try parseTransformerItem(numbers: false))
        lexer.lexBlank()
      } while lexer.lex(",")
    case "getopt":
      let first = lexer.position
      if lexer.lex("(") {
        arguments.append(ConditionExpression(.list(try parseStringListRemainder()), at: first))
      } else if let nested = lexTransformerOpening() {
        lexer.lexBlank()
        arguments.append(try parseTransformerRemainder(name: nested, at: first))
      } else if lexer.lexFieldName() {
        arguments.append(try parseFieldRemainder(name: lexer.lastToken, at: first))
      } else {
        throw failure("expected a list, a field or a nested valid transformer: \(Self.transformerList)")
      }
      try expectComma()
      lexer.lexBlank()
      let optionsStart = lexer.position
      guard try lexQuoted() else { throw failure("expected a quoted string of options as the second argument of 'getopt'") }
      arguments.append(.value(lexer.lastToken, at: optionsStart))
    default:
      let argumentStart = lexer.position
      if let nested = lexTransformerOpening() {
        lexer.lexBlank()
        arguments.append(try parseTransformerRemainder(name: nested, at: argumentStart))
      } else if lexer.lexFieldName() {
        arguments.append(try parseFieldRemainder(name: lexer.lastToken, at: argumentStart))
      } else {
        throw failure("expected a field or a nested valid transformer: \(Self.transformerList)")
      }
    }
    lexer.lexBlank()
    if !lexer.lex(")") { throw failure("expected a ')' token closing the transformer") }
    if name == "getopt" { index = try parseFieldArgument() }
    return ConditionExpression(.transformer(name: name, arguments: arguments, index: index), at: start)
  }

  private mutating func expectComma() throws(ConditionSyntaxError) {
    lexer.lexBlank()
    if !lexer.lex(",") { throw failure("expected a ',' token") }
  }

  /// An argument of `join` or `concat`: a transformer, a field, a quoted string, or (in `join`
  /// lists) a number.
  private mutating func parseTransformerItem(numbers: Bool) throws(ConditionSyntaxError) -> ConditionExpression {
    let start = lexer.position
    if let nested = lexTransformerOpening() {
      lexer.lexBlank()
      return try parseTransformerRemainder(name: nested, at: start)
    }
    if lexer.lexFieldName() { return try parseFieldRemainder(name: lexer.lastToken, at: start) }
    if try lexQuoted() { return .value(lexer.lastToken, at: start) }
    if numbers && (lexer.lexHexNumber() || lexer.lexNumber()) { return .value(lexer.lastToken, at: start) }
    throw failure("expected a field, a nested valid transformer, or a quoted string")
  }

  // MARK: - Conditions

  private mutating func parseCondition(left: ConditionExpression, at start: ConditionPosition) throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    if lexer.lex("exists") {
      return ConditionExpression(.unaryCheck(left: left, op: "exists"), at: start)
    }
    lexer.lexBlank()
    if let op = lexer.lexFirst(of: Self.numericOperators) {
      let right = try parseNumericValueOrTransformer()
      return ConditionExpression(.binaryCheck(left: left, op: op, modifier: nil, right: right), at: start)
    }
    if let op = lexStringOperator() {
      // A word operator is followed by its blank; a symbol needs one before a modifier.
      let spaced = lexer.lexBlank() || !Self.symbolicStringOperators.contains(op)
      if spaced, let (modifier, right) = try parseModifiedList() {
        return ConditionExpression(.binaryCheck(left: left, op: op, modifier: modifier, right: right), at: start)
      }
      let right = try parseStringValueOrTransformer(allowTransformer: true)
      return ConditionExpression(.binaryCheck(left: left, op: op, modifier: nil, right: right), at: start)
    }
    if let op = lexer.lexFirst(of: Self.listOperators) {
      let right = try parseListValueOrTransformer()
      return ConditionExpression(.binaryCheck(left: left, op: op, modifier: nil, right: right), at: start)
    }
    throw failure("expected a valid check operator: one of \(Self.quotedList(Self.supportedOperators))")
  }

  /// A string operator; word operators must be followed by a blank (`containsvalue` is not one).
  private mutating func lexStringOperator() -> String? {
    if let op = lexer.lexFirst(of: Self.symbolicStringOperators) { return op }
    for op in Self.wordStringOperators {
      let saved = lexer.position
      if lexer.lex(string: op) {
        if lexer.onBlank { return op }
        lexer.reset(to: saved)
      }
    }
    return nil
  }

  /// `oneof (a, b)` or `anyof list_name` after a string operator; nil (with nothing consumed)
  /// when the text is not a modifier followed by blanks and a list or a list name, in which case
  /// `oneof` is an ordinary bare string (`proc.name = oneof and ...`).
  private mutating func parseModifiedList() throws(ConditionSyntaxError) -> (ListModifier, ConditionExpression)? {
    let saved = lexer.position
    for modifier in ListModifier.allCases where lexer.lex(string: modifier.rawValue) {
      guard lexer.lexBlank() else { break }
      let start = lexer.position
      if lexer.lex("(") {
        return (modifier, ConditionExpression(.list(try parseStringListRemainder()), at: start))
      }
      if let name = lexer.peekIdentifier(), name != "and", name != "or" {
        _ = lexer.lexIdentifier()
        return (modifier, .value(name, at: start))
      }
      break
    }
    lexer.reset(to: saved)
    return nil
  }

  private mutating func parseNumericValueOrTransformer() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    let start = lexer.position
    if let transformer = try parseRightTransformer() { return transformer }
    if lexer.lexHexNumber() || lexer.lexNumber() { return .value(lexer.lastToken, at: start) }
    throw failure("expected a number value or a field with a valid transformer: \(Self.transformerList)")
  }

  private mutating func parseStringValueOrTransformer(allowTransformer: Bool) throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    let start = lexer.position
    if allowTransformer, let transformer = try parseRightTransformer() { return transformer }
    if try lexQuoted() || lexer.lexBareString() { return .value(lexer.lastToken, at: start) }
    if !allowTransformer { throw failure("expected a string value") }
    throw failure("expected a string value or a field with a valid transformer: \(Self.transformerList)")
  }

  private mutating func parseListValueOrTransformer() throws(ConditionSyntaxError) -> ConditionExpression {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    let start = lexer.position
    if lexer.lex("(") { return ConditionExpression(.list(try parseStringListRemainder()), at: start) }
    if let transformer = try parseRightTransformer() { return transformer }
    if lexer.lexIdentifier() { return .value(lexer.lastToken, at: start) }
    throw failure("expected a list, an identifier, or a field with a valid transformer: \(Self.transformerList)")
  }

  /// The values of a list and its ')', after the '('. A first value that fails to parse means an
  /// empty list, as in libsinsp (so `()` and `( )` are empty lists).
  private mutating func parseStringListRemainder() throws(ConditionSyntaxError) -> [String] {
    var values: [String] = []
    lexer.lexBlank()
    if let first = try? parseStringValueOrTransformer(allowTransformer: false), case .value(let value) = first.kind {
      values.append(value)
      lexer.lexBlank()
      while lexer.lex(",") {
        let next = try parseStringValueOrTransformer(allowTransformer: false)
        if case .value(let value) = next.kind { values.append(value) }
        lexer.lexBlank()
      }
    }
    if !lexer.lex(")") { throw failure("expected a ')' token") }
    return values
  }

  /// `val(field)` or a transformer on the right-hand side; nil when neither starts here.
  private mutating func parseRightTransformer() throws(ConditionSyntaxError) -> ConditionExpression? {
    try enter()
    defer { depth -= 1 }
    lexer.lexBlank()
    let start = lexer.position
    if lexer.lex("val(") {
      lexer.lexBlank()
      let fieldStart = lexer.position
      guard lexer.lexFieldName() else { throw failure("expected a field within 'val' transformer") }
      let field = try parseFieldRemainder(name: lexer.lastToken, at: fieldStart)
      lexer.lexBlank()
      if !lexer.lex(")") { throw failure("expected a ')' token closing the transformer") }
      return ConditionExpression(.transformer(name: "val", arguments: [field], index: nil), at: start)
    }
    if let name = lexTransformerOpening() {
      lexer.lexBlank()
      return try parseTransformerRemainder(name: name, at: start)
    }
    return nil
  }
}

internal import PolicyCore

// Rego grammar, as this parser reads it (v1; v0 differences noted):
//
//   Module      ::= Package Import* Rule*
//   Package     ::= "package" Ref
//   Import      ::= "import" Ref ("as" Var)?
//   Rule        ::= "default"? RuleHead RuleBody*
//   RuleHead    ::= Ref ("(" Terms ")")? ("contains" Term | (":=" | "=") Term)?
//   RuleBody    ::= "if" ("{" Query "}" | Literal) | "{" Query "}"          (v0: "{" Query "}")
//                   ("else" ((":=" | "=") Term)? RuleBody)*
//   Query       ::= Literal ((";" | NEWLINE) Literal)*
//   Literal     ::= "some" Vars | "some" (Term ",")? Term "in" Term
//                 | "every" (Term ",")? Term "in" Term "{" Query "}"
//                 | "not"? Expr ("with" Term "as" Term)*
//   Expr        ::= InTerm ((":=" | "=") InTerm)? | Term "," Term "in" Term
//   InTerm      ::= Relation ("in" Relation)*
//   Relation    ::= Or (("==" | "!=" | "<" | "<=" | ">" | ">=") Or)*
//   Or          ::= And ("|" And)*
//   And         ::= Arith ("&" Arith)*
//   Arith       ::= Factor (("+" | "-") Factor)*
//   Factor      ::= Term (("*" | "/" | "%") Term)*
//   Term        ::= Primary ("." Var | "[" InTerm "]" | "(" Terms ")")*
//   Primary     ::= Var | Scalar | "-" Number | Array | Object | Set | Comprehension
//                 | "set(" ")" | "(" InTerm ")" | TemplateString
//
// A line break ends an expression when the next token cannot continue it: `[`, `(` and `.`
// after a line break start a new expression, and so does an infix operator. Inside brackets and
// parentheses line breaks are insignificant.

/// Which syntax a module is parsed with.
public enum RegoVersion: Sendable, Hashable {
  /// Rego v1 (OPA 1.x default): `if` and `contains` required, all keywords reserved.
  case v1
  /// Rego v0 (OPA 0.x, Gatekeeper): keywords only when imported from `future.keywords`.
  case v0
}

/// Parses Rego modules and queries into the AST.
struct Parser {
  private let file: SourceFile
  private var tokens: [Token]
  private var position = 0
  private var version: RegoVersion
  /// Keywords in force (v1: all; v0: the ones imported from future.keywords).
  private var keywords: Set<String>
  /// Depth of brackets/parentheses: line breaks matter only at depth 0.
  private var nesting = 0
  private var depth = 0
  private let maxDepth: Int
  /// Set while parsing the first element of a collection, where `|` starts a comprehension.
  private var noUnion = false

  static let allKeywords: Set<String> = ["if", "contains", "in", "every"]

  init(file: SourceFile, version: RegoVersion, limits: Limits = .default) throws(Diagnostic) {
    var lexer = Lexer(file: file)
    self.file = file
    self.tokens = try lexer.tokenize()
    self.version = version
    self.keywords = version == .v1 ? Parser.allKeywords : []
    // Each nesting level of a term costs about ten stack frames of recursive descent; 100
    // levels (libsinsp's filter limit too) keeps parsing far inside a small thread stack.
    self.maxDepth = min(limits.maxNestingDepth, 100)
  }

  // MARK: - Tokens

  private var current: Token { tokens[position] }
  private var nextToken: Token { tokens[min(position + 1, tokens.count - 1)] }

  private mutating func advance() -> Token {
    let token = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  private func span(_ token: Token) -> SourceSpan { SourceSpan(file: file, start: token.start, end: token.end) }
  private func span(from start: Int) -> SourceSpan {
    let end = position > 0 ? tokens[position - 1].end : start
    return SourceSpan(file: file, start: start, end: max(end, start))
  }

  private func error(_ message: String, at token: Token? = nil) -> Diagnostic {
    let token = token ?? current
    return Diagnostic(.regoParseError, message, span: span(token))
  }

  private func describe(_ token: Token) -> String {
    switch token.kind {
    case .endOfFile: return "eof token"
    case .identifier: return "ident token"
    case .string, .rawString: return "string token"
    case .number: return "number token"
    case .templateString: return "template string token"
    case .punctuation: return "\(token.text) token"
    }
  }

  private mutating func expect(_ symbol: String) throws(Diagnostic) -> Token {
    guard current.isPunctuation(symbol) else {
      throw error("unexpected \(describe(current)): expected \(symbol)")
    }
    return advance()
  }

  private func isKeyword(_ token: Token, _ word: String) -> Bool {
    token.kind == .identifier && token.text == word && (keywords.contains(word) || !Parser.allKeywords.contains(word))
  }

  /// True when the token can continue the current expression on this line.
  private func continues(_ token: Token) -> Bool { nesting > 0 || !token.newlineBefore }

  private mutating func enter() throws(Diagnostic) {
    depth += 1
    if depth > maxDepth {
      throw Diagnostic(.limitNestingDepth, "nesting deeper than the limit of \(maxDepth) levels", span: span(current))
    }
  }

  private mutating func leave() { depth -= 1 }

  // MARK: - Module

  mutating func parseModule() throws(Diagnostic) -> Module {
    guard current.isIdentifier("package") else {
      throw error("unexpected \(describe(current)): expected package")
    }
    _ = advance()
    let packagePath = try parsePathNames(allowData: false)
    var imports: [Import] = []
    while current.isIdentifier("import"), !nextToken.isPunctuation("."), !nextToken.isPunctuation("[") {
      imports.append(try parseImport())
    }
    var rules: [Rule] = []
    while current.kind != .endOfFile {
      rules.append(contentsOf: try parseRule())
    }
    return Module(file: file, package: packagePath, imports: imports, rules: rules, isV1: version == .v1)
  }

  /// Parses a dotted/bracketed path of names: `a.b["c"]`.
  private mutating func parsePathNames(allowData: Bool) throws(Diagnostic) -> [String] {
    var names: [String] = []
    guard current.kind == .identifier else { throw error("unexpected \(describe(current)): expected ident") }
    names.append(advance().text)
    while continues(current) {
      if current.isPunctuation(".") {
        _ = advance()
        guard current.kind == .identifier else { throw error("unexpected \(describe(current)): expected ident") }
        names.append(advance().text)
      } else if current.isPunctuation("[") {
        _ = advance()
        guard current.kind == .string || current.kind == .rawString else {
          throw error("unexpected \(describe(current)): expected string")
        }
        names.append(advance().text)
        _ = try expect("]")
      } else {
        break
      }
    }
    return names
  }

  private mutating func parseImport() throws(Diagnostic) -> Import {
    let start = advance()
    let path = try parsePathNames(allowData: true)
    let spanValue = span(from: start.start)
    if path == ["rego", "v1"] {
      version = .v1
      keywords = Parser.allKeywords
      return Import(path: path, name: "", span: spanValue)
    }
    if path.first == "future", path.count >= 2, path[1] == "keywords" {
      if path.count == 2 {
        keywords.formUnion(Parser.allKeywords)
      } else if Parser.allKeywords.contains(path[2]) {
        keywords.insert(path[2])
      } else {
        throw Diagnostic(.regoParseError, "unexpected keyword, must be one of [contains every if in]", span: spanValue)
      }
      return Import(path: path, name: "", span: spanValue)
    }
    guard path.first == "data" || path.first == "input" else {
      throw Diagnostic(.regoParseError, "unexpected import path, must begin with one of: {data, input}, got: \(path.first ?? "")", span: spanValue)
    }
    var name = path.last ?? ""
    if current.isIdentifier("as"), continues(current) {
      _ = advance()
      guard current.kind == .identifier else { throw error("unexpected \(describe(current)): expected ident") }
      name = advance().text
    }
    return Import(path: path, name: name, span: spanValue)
  }

  // MARK: - Rules

  /// Parses one rule; v0 multi-body rules (`p { a } { b }`) give several rules.
  private mutating func parseRule() throws(Diagnostic) -> [Rule] {
    let startToken = current
    var isDefault = false
    if current.isIdentifier("default"), !nextToken.isPunctuation("."), !nextToken.isPunctuation("[") {
      isDefault = true
      _ = advance()
    }
    guard current.kind == .identifier else {
      throw error("unexpected \(describe(current)): expected rule head")
    }
    // Head reference: name then .name / [term].
    var path: [Term] = [.scalar(.string(advance().text))]
    while !current.newlineBefore {
      if current.isPunctuation(".") {
        _ = advance()
        guard current.kind == .identifier else { throw error("unexpected \(describe(current)): expected ident") }
        path.append(.scalar(.string(advance().text)))
      } else if current.isPunctuation("[") {
        _ = advance()
        nesting += 1
        let term = try parseInTerm()
        nesting -= 1
        _ = try expect("]")
        path.append(term)
      } else {
        break
      }
    }
    var parameters: [Term] = []
    var isFunction = false
    if current.isPunctuation("("), !current.newlineBefore {
      isFunction = true
      _ = advance()
      nesting += 1
      if !current.isPunctuation(")") {
        while true {
          parameters.append(try parseInTerm())
          if current.isPunctuation(",") {
            _ = advance()
            continue
          }
          break
        }
      }
      nesting -= 1
      _ = try expect(")")
    }
    var key: Term? = nil
    var value: Term? = nil
    var usesContains = false
    if isKeyword(current, "contains"), !current.newlineBefore {
      _ = advance()
      key = try parseInTerm()
      usesContains = true
    } else if (current.isPunctuation(":=") || current.isPunctuation("=")) && !current.newlineBefore {
      _ = advance()
      value = try parseInTerm()
    }

    // Kind.
    let kind: Rule.Kind
    if isFunction {
      kind = .function
    } else if usesContains {
      kind = .partialSet
    } else if path.count > 1, value == nil, version == .v0, !isDefault {
      // v0 `p[x] { ... }`: a partial set.
      kind = .partialSet
      key = path.removeLast()
    } else if path.count > 1, !isGround(path.dropFirst()) || (value != nil && version == .v0 && path.count == 2) {
      kind = .partialObject
    } else {
      kind = .complete
    }
    if isDefault {
      guard value != nil else { throw error("default rules must have a value", at: startToken) }
    }

    // Bodies.
    var rules: [Rule] = []
    var sawBody = false
    func makeRule(_ body: Body, _ elseBranches: [(value: Term, body: Body, span: SourceSpan)]) -> Rule {
      Rule(
        kind: kind, path: path, parameters: parameters, key: key, value: value ?? .scalar(.bool(true)),
        body: body, elseBranches: elseBranches, isDefault: isDefault, span: span(from: startToken.start))
    }
    while true {
      var body: Body?
      if isKeyword(current, "if"), !current.newlineBefore || !sawBody {
        _ = advance()
        if current.isPunctuation("{") {
          // `if { ... }` is a body, unless it only parses as one literal (`if {x: 1 | ...}`).
          let saved = position
          do throws(Diagnostic) {
            body = try parseBraceBody()
          } catch {
            position = saved
            nesting = 0
            guard let literal = try? parseLiteral() else { throw error }
            body = [literal]
          }
        } else {
          body = [try parseLiteral()]
        }
      } else if current.isPunctuation("{"), !sawBody || !current.newlineBefore || version == .v0 {
        if version == .v1 && !isDefault {
          throw error("`if` keyword is required before rule body")
        }
        body = try parseBraceBody()
      }
      guard let parsedBody = body else { break }
      sawBody = true
      var elseBranches: [(value: Term, body: Body, span: SourceSpan)] = []
      while current.isIdentifier("else"), !nextToken.isPunctuation("."), !nextToken.isPunctuation("[") {
        let elseStart = advance()
        var elseValue: Term = .scalar(.bool(true))
        if current.isPunctuation(":=") || current.isPunctuation("=") {
          _ = advance()
          elseValue = try parseInTerm()
        }
        let elseBody: Body
        if isKeyword(current, "if") {
          _ = advance()
          elseBody = current.isPunctuation("{") ? try parseBraceBody() : [try parseLiteral()]
        } else if current.isPunctuation("{") {
          elseBody = try parseBraceBody()
        } else {
          elseBody = []
        }
        elseBranches.append((elseValue, elseBody, span(from: elseStart.start)))
      }
      rules.append(makeRule(parsedBody, elseBranches))
      // v0 allows further bodies for the same head: p { a } { b }.
      if !(current.isPunctuation("{") && version == .v0) { break }
    }
    if rules.isEmpty {
      // No body: `p := 1`, `f(x) := x`, v0 `f("a", _)`, `p contains 1`.
      if value == nil && key == nil && !isFunction && path.count == 1 && !isDefault && version == .v1 {
        throw error("rule must have a value or a body", at: startToken)
      }
      rules.append(makeRule([], []))
    }
    return rules
  }

  private func isGround<C: Collection>(_ terms: C) -> Bool where C.Element == Term {
    terms.allSatisfy { term in
      if case .scalar = term { return true }
      return false
    }
  }

  private mutating func parseBraceBody() throws(Diagnostic) -> Body {
    _ = try expect("{")
    let savedNesting = nesting
    nesting = 0
    defer { nesting = savedNesting }
    let body = try parseQuery(terminator: "}")
    _ = try expect("}")
    return body
  }

  // MARK: - Queries and literals

  /// Parses literals separated by `;` or line breaks until `terminator` (or end of input).
  mutating func parseQuery(terminator: String?) throws(Diagnostic) -> Body {
    var body: Body = []
    while true {
      while current.isPunctuation(";") { _ = advance() }
      if let terminator, current.isPunctuation(terminator) { break }
      if current.kind == .endOfFile { break }
      if !body.isEmpty, !current.newlineBefore, !(position > 0 && tokens[position - 1].isPunctuation(";")) {
        throw error("unexpected \(describe(current)): expected \\n or ; or \(terminator ?? "eof")")
      }
      body.append(try parseLiteral())
    }
    if body.isEmpty {
      throw error("found empty body")
    }
    return body
  }

  /// Parses a whole query (for `policy eval` and the conformance harness).
  mutating func parseStandaloneQuery() throws(Diagnostic) -> Body {
    let body = try parseQuery(terminator: nil)
    guard current.kind == .endOfFile else { throw error("unexpected \(describe(current))") }
    return body
  }

  private mutating func parseLiteral() throws(Diagnostic) -> Expr {
    let start = current
    let refFollows = (nextToken.isPunctuation(".") || nextToken.isPunctuation("[")) && !nextToken.newlineBefore
    if current.isIdentifier("some"), !refFollows {
      var expr = try parseSome()
      try parseWithModifiers(&expr)
      expr.span = span(from: start.start)
      return expr
    }
    if isKeyword(current, "every"), !refFollows {
      var expr = try parseEvery()
      try parseWithModifiers(&expr)
      expr.span = span(from: start.start)
      return expr
    }
    var negated = false
    if current.isIdentifier("not"), !refFollows {
      negated = true
      _ = advance()
    }
    var expr = try parseExpr()
    expr.negated = negated
    try parseWithModifiers(&expr)
    expr.span = span(from: start.start)
    return expr
  }

  private mutating func parseWithModifiers(_ expr: inout Expr) throws(Diagnostic) {
    // `with` may start on a following line: it cannot begin a new expression.
    while current.isIdentifier("with"),
      !(current.newlineBefore && (nextToken.isPunctuation(".") || nextToken.isPunctuation("[") || nextToken.isPunctuation("(")))
    {
      let withStart = advance()
      let target = try parseTerm()
      guard current.isIdentifier("as") else { throw error("unexpected \(describe(current)): expected as") }
      _ = advance()
      let value = try parseInTerm()
      expr.withModifiers.append(WithModifier(target: target, value: value, span: span(from: withStart.start)))
    }
  }

  private mutating func parseSome() throws(Diagnostic) -> Expr {
    let start = advance()
    // some x, y    |    some x in xs    |    some k, v in xs
    let first = try parseRelation()
    var second: Term? = nil
    if current.isPunctuation(","), continues(current) {
      _ = advance()
      second = try parseRelation()
      if !isKeyword(current, "in") {
        // `some a, b, c` declaration list.
        var names = [first, second].compactMap { $0 }
        while current.isPunctuation(",") {
          _ = advance()
          names.append(try parseRelation())
        }
        return Expr(kind: .some(try declarationNames(names)), span: span(from: start.start))
      }
    }
    if isKeyword(current, "in"), continues(current) {
      _ = advance()
      let collection = try parseRelation()
      if let second {
        return Expr(kind: .someIn(key: first, value: second, collection: collection), span: span(from: start.start))
      }
      return Expr(kind: .someIn(key: nil, value: first, collection: collection), span: span(from: start.start))
    }
    if case .call(let call) = first, call.name == "internal.member_2", call.arguments.count == 2 {
      return Expr(kind: .someIn(key: nil, value: call.arguments[0], collection: call.arguments[1]), span: span(from: start.start))
    }
    return Expr(kind: .some(try declarationNames([first])), span: span(from: start.start))
  }

  private func declarationNames(_ terms: [Term]) throws(Diagnostic) -> [String] {
    var names: [String] = []
    for term in terms {
      guard case .variable(let name) = term else {
        throw error("unexpected term in some declaration: expected variables")
      }
      names.append(name)
    }
    return names
  }

  private mutating func parseEvery() throws(Diagnostic) -> Expr {
    let start = advance()
    let first = try parseRelation()
    var key: Term? = nil
    var value = first
    if current.isPunctuation(",") {
      _ = advance()
      key = first
      value = try parseRelation()
    }
    guard isKeyword(current, "in") else { throw error("unexpected \(describe(current)): expected in") }
    _ = advance()
    let domain = try parseRelation()
    let body = try parseBraceBody()
    return Expr(kind: .every(key: key, value: value, domain: domain, body: body), span: span(from: start.start))
  }

  /// Expr ::= InTerm ((":=" | "=") InTerm)? | Term "," Term "in" Term
  private mutating func parseExpr() throws(Diagnostic) -> Expr {
    let start = current
    let left = try parseInTerm(allowKeyValue: true)
    if current.isPunctuation(":="), continues(current) {
      _ = advance()
      let right = try parseInTerm()
      return Expr(kind: .assign(left, right), span: span(from: start.start))
    }
    if current.isPunctuation("="), continues(current) {
      _ = advance()
      let right = try parseInTerm()
      return Expr(kind: .unify(left, right), span: span(from: start.start))
    }
    return Expr(kind: .term(left), span: span(from: start.start))
  }

  // MARK: - Infix terms

  private mutating func binary(_ name: String, _ left: Term, _ right: Term, _ start: Int) -> Term {
    .call(Call(name: name, target: .variable(name), arguments: [left, right], span: span(from: start)))
  }

  mutating func parseInTerm(allowKeyValue: Bool = false) throws(Diagnostic) -> Term {
    let start = current.start
    var left = try parseRelation()
    if allowKeyValue, current.isPunctuation(","), continues(current), keywords.contains("in") {
      // `k, v in xs`: try it, and step back when no `in` follows the second term.
      let comma = position
      _ = advance()
      let value = try parseRelation()
      if isKeyword(current, "in") {
        _ = advance()
        let collection = try parseRelation()
        let call = Call(
          name: "internal.member_3", target: .variable("internal.member_3"), arguments: [left, value, collection],
          span: span(from: start))
        left = .call(call)
      } else {
        position = comma
      }
    }
    while isKeyword(current, "in"), continues(current) {
      _ = advance()
      let right = try parseRelation()
      left = binary("internal.member_2", left, right, start)
    }
    return left
  }

  private mutating func parseRelation() throws(Diagnostic) -> Term {
    let start = current.start
    var left = try parseOr()
    let operators = ["==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"]
    while current.kind == .punctuation, let name = operators[current.text], continues(current) {
      _ = advance()
      let right = try parseOr()
      left = binary(name, left, right, start)
    }
    return left
  }

  private mutating func parseOr() throws(Diagnostic) -> Term {
    let start = current.start
    var left = try parseAnd()
    while current.isPunctuation("|"), continues(current), !noUnion {
      _ = advance()
      left = binary("or", left, try parseAnd(), start)
    }
    return left
  }

  private mutating func parseAnd() throws(Diagnostic) -> Term {
    let start = current.start
    var left = try parseArith()
    while current.isPunctuation("&"), continues(current) {
      _ = advance()
      left = binary("and", left, try parseArith(), start)
    }
    return left
  }

  private mutating func parseArith() throws(Diagnostic) -> Term {
    let start = current.start
    var left = try parseFactor()
    while current.isPunctuation("+") || current.isPunctuation("-"), continues(current) {
      let name = advance().text == "+" ? "plus" : "minus"
      left = binary(name, left, try parseFactor(), start)
    }
    return left
  }

  private mutating func parseFactor() throws(Diagnostic) -> Term {
    let start = current.start
    var left = try parseTerm()
    let operators = ["*": "mul", "/": "div", "%": "rem"]
    while current.kind == .punctuation, let name = operators[current.text], continues(current) {
      _ = advance()
      left = binary(name, left, try parseTerm(), start)
    }
    return left
  }

  // MARK: - Terms

  mutating func parseTerm() throws(Diagnostic) -> Term {
    try enter()
    defer { leave() }
    let start = current
    var term = try parsePrimary()
    // Reference and call continuations on the same line (or anywhere inside brackets).
    while true {
      if current.isPunctuation("."), continues(current) {
        _ = advance()
        guard current.kind == .identifier else { throw error("unexpected \(describe(current)): expected ident") }
        let name = advance().text
        term = appendRef(term, .scalar(.string(name)))
      } else if current.isPunctuation("["), continues(current) {
        _ = advance()
        nesting += 1
        let savedUnion = noUnion
        noUnion = false
        let index = try parseInTerm()
        noUnion = savedUnion
        nesting -= 1
        _ = try expect("]")
        term = appendRef(term, index)
      } else if current.isPunctuation("("), continues(current), let name = callName(term) {
        _ = advance()
        nesting += 1
        let savedUnion = noUnion
        noUnion = false
        defer { noUnion = savedUnion }
        var arguments: [Term] = []
        while !current.isPunctuation(")") {
          arguments.append(try parseInTerm())
          guard current.isPunctuation(",") else { break }
          _ = advance()
        }
        nesting -= 1
        _ = try expect(")")
        term = .call(Call(name: name, target: term, arguments: arguments, span: span(from: start.start)))
      } else {
        break
      }
    }
    return term
  }

  private func appendRef(_ term: Term, _ part: Term) -> Term {
    if case .ref(let head, let path) = term { return .ref(head, path + [part]) }
    return .ref(term, [part])
  }

  /// The dotted name of a term usable as a function name (`f`, `a.b.c`), or nil.
  private func callName(_ term: Term) -> String? {
    switch term {
    case .variable(let name): return name
    case .ref(.variable(let head), let path):
      var parts = [head]
      for part in path {
        guard case .scalar(.string(let name)) = part else { return nil }
        parts.append(name)
      }
      return parts.joined(separator: ".")
    default: return nil
    }
  }

  private mutating func parsePrimary() throws(Diagnostic) -> Term {
    let token = current
    switch token.kind {
    case .endOfFile:
      throw error("unexpected eof token: expected term")
    case .number:
      _ = advance()
      guard let number = Number(literal: token.text) else { throw error("invalid number '\(token.text)'", at: token) }
      return .scalar(.number(number))
    case .string, .rawString:
      _ = advance()
      return .scalar(.string(token.text))
    case .templateString:
      _ = advance()
      return try parseTemplate(token)
    case .identifier:
      _ = advance()
      let namesSomething = (current.isPunctuation("(") || current.isPunctuation(".")) && !current.newlineBefore
      switch token.text {
      case "null" where !namesSomething: return .scalar(.null)
      case "true" where !namesSomething: return .scalar(.bool(true))
      case "false" where !namesSomething: return .scalar(.bool(false))
      case "set" where current.isPunctuation("(") && nextToken.isPunctuation(")") && !current.newlineBefore:
        _ = advance()
        _ = advance()
        return .set([])
      default:
        // `contains` stays usable as the builtin's name; the other keywords are reserved,
        // except as the head of a reference (`every.foo`, `import.x`), which OPA allows.
        let startsRef = (current.isPunctuation(".") || current.isPunctuation("[")) && !current.newlineBefore
        if !startsRef, (keywords.contains(token.text) && token.text != "contains")
          || ["not", "with", "as", "default", "else", "package", "import", "some"].contains(token.text)
        {
          throw error("unexpected \(token.text) keyword", at: token)
        }
        return .variable(token.text)
      }
    case .punctuation:
      switch token.text {
      case "-":
        _ = advance()
        if current.kind == .number, !current.newlineBefore {
          let number = advance()
          guard let value = Number(literal: "-" + number.text) else { throw error("invalid number", at: number) }
          return .scalar(.number(value))
        }
        let operand = try parseTerm()
        return binary("minus", .scalar(.number(Number(0))), operand, token.start)
      case "(":
        _ = advance()
        nesting += 1
        let savedUnion = noUnion
        noUnion = false
        let inner = try parseInTerm(allowKeyValue: true)
        noUnion = savedUnion
        nesting -= 1
        _ = try expect(")")
        return inner
      case "[":
        return try parseArray()
      case "{":
        return try parseBrace()
      default:
        throw error("unexpected \(describe(token)): expected term")
      }
    }
  }

  private mutating func parseArray() throws(Diagnostic) -> Term {
    _ = advance()
    nesting += 1
    let savedUnion = noUnion
    defer {
      nesting -= 1
      noUnion = savedUnion
    }
    if current.isPunctuation("]") {
      _ = advance()
      return .array([])
    }
    noUnion = true
    let first = try parseInTerm()
    noUnion = false
    if current.isPunctuation("|") {
      _ = advance()
      let body = try parseComprehensionBody(closing: "]")
      return .arrayComprehension(first, body)
    }
    var elements = [first]
    while current.isPunctuation(",") {
      _ = advance()
      if current.isPunctuation("]") { break }
      elements.append(try parseInTerm())
    }
    _ = try expect("]")
    return .array(elements)
  }

  private mutating func parseComprehensionBody(closing: String) throws(Diagnostic) -> Body {
    let saved = nesting
    nesting = 0
    let body = try parseQuery(terminator: closing)
    nesting = saved
    _ = try expect(closing)
    return body
  }

  private mutating func parseBrace() throws(Diagnostic) -> Term {
    _ = advance()
    nesting += 1
    let savedUnion = noUnion
    defer {
      nesting -= 1
      noUnion = savedUnion
    }
    if current.isPunctuation("}") {
      _ = advance()
      return .object([])
    }
    noUnion = true
    let first = try parseOrForKey()
    if current.isPunctuation(":") {
      _ = advance()
      let value = try parseInTerm()
      noUnion = false
      if current.isPunctuation("|") {
        _ = advance()
        let body = try parseComprehensionBody(closing: "}")
        return .objectComprehension(first, value, body)
      }
      var members = [(first, value)]
      while current.isPunctuation(",") {
        _ = advance()
        if current.isPunctuation("}") { break }
        let key = try parseOrForKey()
        _ = try expect(":")
        members.append((key, try parseInTerm()))
      }
      _ = try expect("}")
      return .object(members)
    }
    noUnion = false
    if current.isPunctuation("|") {
      _ = advance()
      let body = try parseComprehensionBody(closing: "}")
      return .setComprehension(first, body)
    }
    var elements = [first]
    while current.isPunctuation(",") {
      _ = advance()
      if current.isPunctuation("}") { break }
      elements.append(try parseInTerm())
    }
    _ = try expect("}")
    return .set(elements)
  }

  /// Object keys and set elements: a full term except that `:` ends it.
  private mutating func parseOrForKey() throws(Diagnostic) -> Term { try parseInTerm() }

  /// Splits a template string into text and `{expression}` parts.
  private mutating func parseTemplate(_ token: Token) throws(Diagnostic) -> Term {
    let isRaw = token.text.hasPrefix("`")
    let raw = Array(token.text.utf8.dropFirst())
    var parts: [TemplatePart] = []
    var text: [UInt8] = []
    var index = 0
    while index < raw.count {
      let byte = raw[index]
      if isRaw, byte == UInt8(ascii: "\\"), index + 1 < raw.count, raw[index + 1] == UInt8(ascii: "{") {
        text.append(UInt8(ascii: "{"))
        index += 2
        continue
      }
      if !isRaw, byte == UInt8(ascii: "\\"), index + 1 < raw.count {
        let next = raw[index + 1]
        switch next {
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
        case UInt8(ascii: "{"): text.append(UInt8(ascii: "{"))
        case UInt8(ascii: "}"): text.append(UInt8(ascii: "}"))
        default:
          throw error("invalid escape sequence in template string", at: token)
        }
        index += 2
        continue
      }
      if byte == UInt8(ascii: "{") {
        var level = 1
        var end = index + 1
        var inString = false
        while end < raw.count {
          let c = raw[end]
          if inString {
            if c == UInt8(ascii: "\\") { end += 1 } else if c == UInt8(ascii: "\"") { inString = false }
          } else if c == UInt8(ascii: "\"") {
            inString = true
          } else if c == UInt8(ascii: "{") {
            level += 1
          } else if c == UInt8(ascii: "}") {
            level -= 1
            if level == 0 { break }
          }
          end += 1
        }
        guard end < raw.count else { throw error("unterminated expression in template string", at: token) }
        if !text.isEmpty {
          parts.append(.text(String(decoding: text, as: UTF8.self)))
          text.removeAll()
        }
        let source = String(decoding: raw[(index + 1)..<end], as: UTF8.self)
        let innerFile = SourceFile(name: file.name, text: source)
        var inner = try Parser(file: innerFile, version: .v1)
        inner.keywords = keywords
        let term = try inner.parseInTerm()
        guard inner.current.kind == .endOfFile else {
          throw error("unexpected token in template string expression", at: token)
        }
        parts.append(.expression(term))
        index = end + 1
        continue
      }
      text.append(byte)
      index += 1
    }
    if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
    return .template(parts)
  }
}

extension Parser {
  /// Parses a module from source text.
  static func parseModule(_ file: SourceFile, version: RegoVersion, limits: Limits = .default) throws(Diagnostic) -> Module {
    var parser = try Parser(file: file, version: version, limits: limits)
    return try parser.parseModule()
  }

  /// Parses a query (`data.x.allow == true; input.y = z`).
  static func parseQuery(_ file: SourceFile, limits: Limits = .default) throws(Diagnostic) -> Body {
    var parser = try Parser(file: file, version: .v1, limits: limits)
    return try parser.parseStandaloneQuery()
  }
}

internal import PolicyCore
internal import RegoBuiltins

/// Names visible in a body: variables declared or used there, mapped to frame slots.
final class Scope {
  let parent: Scope?
  var slots: [String: Int] = [:]
  /// Names declared with `:=`, `some` or as parameters in this scope.
  var declared: Set<String> = []

  init(parent: Scope?) { self.parent = parent }

  func lookup(_ name: String) -> Int? { slots[name] ?? parent?.lookup(name) }

  /// The nearest scope that declares `name` (with `:=`, `some` or as a parameter).
  func declaringScope(_ name: String) -> Scope? {
    if declared.contains(name) { return self }
    return parent?.declaringScope(name)
  }

  /// Every slot owned by this scope and its ancestors.
  var visibleSlots: Set<Int> {
    var result = Set(slots.values)
    if let parent { result.formUnion(parent.visibleSlots) }
    return result
  }
}

/// Interpreter builtins that need evaluation state, so they are not in the registry.
let specialBuiltins: [String: Int?] = [
  "print": nil, "walk": 1, "trace": 1, "opa.runtime": 0, "rego.metadata.rule": 0, "rego.metadata.chain": 0,
  "internal.print": 1, "rego.parse_module": 2, "time.now_ns": 0,
]

/// Resolves names and orders bodies for one module's rules (or one query).
struct Resolver {
  let compiler: Compiler
  let module: Module
  private var frameSize = 0
  private var imports: [String: [String]] = [:]

  init(compiler: Compiler, module: Module) {
    self.compiler = compiler
    self.module = module
    for entry in module.imports where !entry.name.isEmpty {
      imports[entry.name] = entry.path
    }
  }

  private mutating func newSlot() -> Int {
    frameSize += 1
    return frameSize - 1
  }

  // MARK: - Rules and queries

  mutating func resolveRule(_ rule: Rule) throws(Diagnostic) {
    frameSize = 0
    let ruleScope = Scope(parent: nil)
    // Parameters: their variables are declared in the rule scope and bound on entry.
    for parameter in rule.parameters { declarePattern(parameter, in: ruleScope) }
    for name in ruleScope.declared { ruleScope.slots[name] = newSlot() }
    let parameters = try rule.parameters.map { (term) throws(Diagnostic) in try rewrite(term, ruleScope, rule.span) }
    var paramSlots = Set<Int>()
    for parameter in parameters { paramSlots.formUnion(slots(in: parameter)) }

    // Main body with the head terms in the same scope.
    let bodyScope = Scope(parent: ruleScope)
    try declareBody(rule.body, in: bodyScope)
    collectImplicit(rule.body, in: bodyScope)
    for term in rule.path.dropFirst() { collectImplicitTerm(term, in: bodyScope) }
    if let key = rule.key { collectImplicitTerm(key, in: bodyScope) }
    collectImplicitTerm(rule.value, in: bodyScope)
    var body = try rewriteBody(rule.body, bodyScope)
    let path = try rule.path.map { (term) throws(Diagnostic) in try rewrite(term, bodyScope, rule.span) }
    let key = try rule.key.map { (term) throws(Diagnostic) in try rewrite(term, bodyScope, rule.span) }
    let value = try rewrite(rule.value, bodyScope, rule.span)
    var bound = paramSlots
    body = try order(body, bound: &bound, visible: bodyScope.visibleSlots, scope: bodyScope)
    var headSlots = Set<Int>()
    let visibleHere = bodyScope.visibleSlots
    for term in path.dropFirst() { headSlots.formUnion(valueInputs(term, visibleHere)) }
    if let key { headSlots.formUnion(valueInputs(key, visibleHere)) }
    headSlots.formUnion(valueInputs(value, visibleHere))
    if let unsafe = headSlots.subtracting(bound).sorted().first {
      throw Diagnostic(.regoUnsafeVarError, "var \(name(of: unsafe, bodyScope)) is unsafe", span: rule.span)
    }
    // Comprehensions in the head run after the body: order their bodies with what it binds.
    let orderedPath = try path.map { (term) throws(Diagnostic) in try orderTerm(term, bound: bound, scope: bodyScope) }
    let orderedKey = try key.map { (term) throws(Diagnostic) in try orderTerm(term, bound: bound, scope: bodyScope) }
    let orderedValue = try orderTerm(value, bound: bound, scope: bodyScope)

    var elseBranches: [(value: Term, body: Body, span: SourceSpan)] = []
    for branch in rule.elseBranches {
      let scope = Scope(parent: ruleScope)
      try declareBody(branch.body, in: scope)
      collectImplicit(branch.body, in: scope)
      collectImplicitTerm(branch.value, in: scope)
      var branchBody = try rewriteBody(branch.body, scope)
      var branchBound = paramSlots
      branchBody = try order(branchBody, bound: &branchBound, visible: scope.visibleSlots, scope: scope)
      var branchValue = try rewrite(branch.value, scope, branch.span)
      if let unsafe = valueInputs(branchValue, scope.visibleSlots).subtracting(branchBound).sorted().first {
        throw Diagnostic(.regoUnsafeVarError, "var \(name(of: unsafe, scope)) is unsafe", span: branch.span)
      }
      branchValue = try orderTerm(branchValue, bound: branchBound, scope: scope)
      elseBranches.append((branchValue, branchBody, branch.span))
    }
    rule.parameters = parameters
    rule.path = orderedPath
    rule.key = orderedKey
    rule.value = orderedValue
    rule.body = body
    rule.elseBranches = elseBranches
    rule.frameSize = frameSize
  }

  mutating func resolveQuery(_ query: Body) throws(Diagnostic) -> (body: Body, frameSize: Int, variables: [(String, Int)]) {
    frameSize = 0
    let scope = Scope(parent: nil)
    try declareBody(query, in: scope)
    collectImplicit(query, in: scope)
    var body = try rewriteBody(query, scope)
    var bound = Set<Int>()
    body = try order(body, bound: &bound, visible: scope.visibleSlots, scope: scope)
    let variables = scope.slots.filter { !$0.key.hasPrefix("_") && !$0.key.hasPrefix("$") }
      .sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
    return (body, frameSize, variables)
  }

  private func name(of slot: Int, _ scope: Scope) -> String {
    var current: Scope? = scope
    while let each = current {
      if let entry = each.slots.first(where: { $0.value == slot }) { return entry.key }
      current = each.parent
    }
    return "_"
  }

  // MARK: - Declarations and implicit variables

  /// Declares the variables of a pattern (`[x, _]`, `{"a": y}`) in `scope`.
  private func declarePattern(_ term: Term, in scope: Scope) {
    switch term {
    case .variable(let name) where name != "_":
      scope.declared.insert(name)
    case .array(let elements), .set(let elements):
      for element in elements { declarePattern(element, in: scope) }
    case .object(let members):
      for (_, value) in members { declarePattern(value, in: scope) }
    default:
      break
    }
  }

  private mutating func declareBody(_ body: Body, in scope: Scope) throws(Diagnostic) {
    for expr in body {
      switch expr.kind {
      case .assign(let left, _):
        var names: [String] = []
        patternNames(left, into: &names)
        for name in names {
          if scope.declared.contains(name) && scope.slots[name] != nil {
            throw Diagnostic(.regoCompileError, "var \(name) assigned above", span: expr.span)
          }
          if scope.declared.contains(name) {
            throw Diagnostic(.regoCompileError, "var \(name) assigned above", span: expr.span)
          }
          scope.declared.insert(name)
        }
      case .some(let names):
        for name in names { scope.declared.insert(name) }
      case .someIn(let key, let value, _):
        if let key { declarePattern(key, in: scope) }
        declarePattern(value, in: scope)
      default:
        break
      }
    }
  }

  private func patternNames(_ term: Term, into names: inout [String]) {
    switch term {
    case .variable(let name) where name != "_": names.append(name)
    case .array(let elements), .set(let elements): for element in elements { patternNames(element, into: &names) }
    case .object(let members): for (_, value) in members { patternNames(value, into: &names) }
    default: break
    }
  }

  /// True when a bare name refers to something other than a local: a rule, an import, a root.
  private func isGlobal(_ name: String, _ scope: Scope) -> Bool {
    if scope.lookup(name) != nil || scope.declaringScope(name) != nil { return false }
    return name == "input" || name == "data" || imports[name] != nil
      || compiler.packageHasRule(module.package, name)
  }

  /// Gives a slot to every variable used in the body (outside nested bodies) that is not global.
  private mutating func collectImplicit(_ body: Body, in scope: Scope) {
    for expr in body {
      switch expr.kind {
      case .term(let term): collectImplicitTerm(term, in: scope)
      case .unify(let left, let right), .assign(let left, let right):
        collectImplicitTerm(left, in: scope)
        collectImplicitTerm(right, in: scope)
      case .some: break
      case .someIn(let key, let value, let collection):
        if let key { collectImplicitTerm(key, in: scope) }
        collectImplicitTerm(value, in: scope)
        collectImplicitTerm(collection, in: scope)
      case .every(_, _, let domain, _):
        collectImplicitTerm(domain, in: scope)
      }
      for modifier in expr.withModifiers where !namesFunction(modifier.value, scope) {
        collectImplicitTerm(modifier.value, in: scope)
      }
    }
  }

  /// True when a `with` value names a function or builtin rather than a value.
  private func namesFunction(_ term: Term, _ scope: Scope) -> Bool {
    var parts: [String] = []
    switch term {
    case .variable(let name): parts = [name]
    case .ref(.variable(let head), let path):
      parts = [head]
      for part in path {
        guard case .scalar(.string(let name)) = part else { return false }
        parts.append(name)
      }
    default: return false
    }
    if scope.lookup(parts[0]) != nil { return false }
    let dotted = parts.joined(separator: ".")
    return functionTarget(for: dotted) != nil || compiler.builtins[dotted] != nil || specialBuiltins[dotted] != nil
  }

  private mutating func collectImplicitTerm(_ term: Term, in scope: Scope) {
    switch term {
    case .variable(let name):
      if name == "_" || isGlobal(name, scope) || scope.lookup(name) != nil || scope.declaringScope(name) != nil { return }
      scope.slots[name] = newSlot()
    case .ref(let head, let path):
      collectImplicitTerm(head, in: scope)
      for part in path { collectImplicitTerm(part, in: scope) }
    case .array(let elements), .set(let elements):
      for element in elements { collectImplicitTerm(element, in: scope) }
    case .object(let members):
      for (key, value) in members {
        collectImplicitTerm(key, in: scope)
        collectImplicitTerm(value, in: scope)
      }
    case .call(let call):
      for argument in call.arguments { collectImplicitTerm(argument, in: scope) }
    case .template(let parts):
      for case .expression(let inner) in parts { collectImplicitTerm(inner, in: scope) }
    case .scalar, .arrayComprehension, .setComprehension, .objectComprehension, .local, .input, .data, .functionReference:
      break
    }
  }

  // MARK: - Rewriting

  private mutating func rewriteBody(_ body: Body, _ scope: Scope) throws(Diagnostic) -> Body {
    var result: Body = []
    result.reserveCapacity(body.count)
    for expr in body {
      var rewritten = expr
      switch expr.kind {
      case .term(let term):
        rewritten.kind = .term(try rewrite(term, scope, expr.span))
      case .unify(let left, let right):
        rewritten.kind = .unify(try rewrite(left, scope, expr.span), try rewrite(right, scope, expr.span))
      case .assign(let left, let right):
        // The right side sees the variables declared so far; then the left side declares.
        let rewrittenRight = try rewrite(right, scope, expr.span)
        var names: [String] = []
        patternNames(left, into: &names)
        for name in names {
          if scope.slots[name] != nil {
            throw Diagnostic(.regoCompileError, "var \(name) referenced above", span: expr.span)
          }
          scope.slots[name] = newSlot()
        }
        rewritten.kind = .assign(try rewrite(left, scope, expr.span), rewrittenRight)
      case .some:
        rewritten.kind = .some([])
      case .someIn(let key, let value, let collection):
        rewritten.kind = .someIn(
          key: try key.map { (term) throws(Diagnostic) in try rewrite(term, scope, expr.span) },
          value: try rewrite(value, scope, expr.span), collection: try rewrite(collection, scope, expr.span))
      case .every(let key, let value, let domain, let body):
        let inner = Scope(parent: scope)
        if let key { declarePattern(key, in: inner) }
        declarePattern(value, in: inner)
        for name in inner.declared { inner.slots[name] = newSlot() }
        let rewrittenDomain = try rewrite(domain, scope, expr.span)
        let rewrittenKey = try key.map { (term) throws(Diagnostic) in try rewrite(term, inner, expr.span) }
        let rewrittenValue = try rewrite(value, inner, expr.span)
        try declareBody(body, in: inner)
        collectImplicit(body, in: inner)
        let innerBody = try rewriteBody(body, inner)
        rewritten.kind = .every(key: rewrittenKey, value: rewrittenValue, domain: rewrittenDomain, body: innerBody)
      }
      rewritten.withModifiers = try expr.withModifiers.map { (modifier) throws(Diagnostic) in
        var copy = modifier
        copy.target = try rewriteWithTarget(modifier.target, scope, modifier.span)
        copy.value = try rewriteWithValue(modifier.value, scope, modifier.span)
        return copy
      }
      if rewritten.negated {
        result.append(contentsOf: hoistDynamics(rewritten))
      } else {
        result.append(rewritten)
      }
    }
    return result
  }

  // MARK: - Dynamic terms in negations

  /// OPA's compiler moves the nested references and calls of an expression into assignments to
  /// generated variables placed before it ("rewrite dynamic terms"). For a negated expression
  /// this is visible: `not f(input.missing)` is undefined, not true, because the hoisted
  /// `__local = input.missing` fails outside the negation. Gatekeeper policies rely on it.
  private mutating func hoistDynamics(_ expr: Expr) -> [Expr] {
    var hoisted: [Expr] = []
    var copy = expr
    switch expr.kind {
    case .term(.call(var call)):
      call.arguments = call.arguments.map { hoistOne($0, expr, &hoisted) }
      copy.kind = .term(.call(call))
    case .term(let term):
      copy.kind = .term(hoistInTerm(term, expr, &hoisted))
    case .unify(let left, let right):
      copy.kind = .unify(hoistInTerm(left, expr, &hoisted), hoistInTerm(right, expr, &hoisted))
    default:
      return [expr]
    }
    return hoisted + [copy]
  }

  /// Rewrites the dynamic parts inside a term without hoisting the term itself.
  private mutating func hoistInTerm(_ term: Term, _ origin: Expr, _ hoisted: inout [Expr]) -> Term {
    switch term {
    case .ref(let head, let path):
      return .ref(head, path.map { hoistOne($0, origin, &hoisted) })
    case .scalar, .local, .input, .data, .variable, .functionReference,
      .arrayComprehension, .setComprehension, .objectComprehension:
      return term
    default:
      return hoistOne(term, origin, &hoisted)
    }
  }

  /// Hoists a reference or call into a generated variable; composites keep their shape.
  private mutating func hoistOne(_ term: Term, _ origin: Expr, _ hoisted: inout [Expr]) -> Term {
    switch term {
    case .ref(let head, let path):
      let rewritten = Term.ref(head, path.map { hoistOne($0, origin, &hoisted) })
      return generate(rewritten, origin, &hoisted)
    case .call(var call):
      call.arguments = call.arguments.map { hoistOne($0, origin, &hoisted) }
      return generate(.call(call), origin, &hoisted)
    case .array(let elements):
      return .array(elements.map { hoistOne($0, origin, &hoisted) })
    case .set(let elements):
      return .set(elements.map { hoistOne($0, origin, &hoisted) })
    case .object(let members):
      return .object(members.map { (hoistOne($0.0, origin, &hoisted), hoistOne($0.1, origin, &hoisted)) })
    default:
      return term
    }
  }

  private mutating func generate(_ term: Term, _ origin: Expr, _ hoisted: inout [Expr]) -> Term {
    let slot = newSlot()
    let variable = Term.local(slot, "__local\(slot)__")
    hoisted.append(Expr(kind: .unify(variable, term), withModifiers: origin.withModifiers, span: origin.span))
    return variable
  }

  /// `with` targets name documents or functions; keep them as data/input references or names.
  private mutating func rewriteWithTarget(_ term: Term, _ scope: Scope, _ span: SourceSpan) throws(Diagnostic) -> Term {
    switch term {
    case .variable(let name) where name == "input" || name == "data":
      return name == "input" ? .input : .data
    case .ref(.variable(let head), let path) where head == "input" || head == "data":
      return .ref(head == "input" ? .input : .data, path)
    case .variable(let name):
      if let path = functionTarget(for: name)?.path { return .ref(.data, path.dropFirst().map { .scalar($0) }) }
      return .scalar(.string(name))
    case .ref(.variable(let head), let path):
      var parts = [head]
      for case .scalar(.string(let part)) in path { parts.append(part) }
      let dotted = parts.joined(separator: ".")
      if let resolved = functionTarget(for: dotted)?.path { return .ref(.data, resolved.dropFirst().map { .scalar($0) }) }
      if let importPath = imports[head] {
        return .ref(importPath.first == "input" ? .input : .data, importPath.dropFirst().map { .scalar(.string($0)) } + path)
      }
      if compiler.packageHasRule(module.package, head) {
        return .ref(.data, module.package.map { .scalar(.string($0)) } + [.scalar(.string(head))] + path)
      }
      return .scalar(.string(dotted))
    default:
      throw Diagnostic(.regoTypeError, "with keyword target must reference existing input, data, or a function", span: span)
    }
  }

  /// `with` values that name a function or builtin become function references; others are terms.
  private mutating func rewriteWithValue(_ term: Term, _ scope: Scope, _ span: SourceSpan) throws(Diagnostic) -> Term {
    var dotted: String? = nil
    switch term {
    case .variable(let name) where scope.lookup(name) == nil: dotted = name
    case .ref(.variable(let head), let path) where scope.lookup(head) == nil:
      var parts = [head]
      for part in path {
        guard case .scalar(.string(let name)) = part else { parts = []; break }
        parts.append(name)
      }
      if !parts.isEmpty { dotted = parts.joined(separator: ".") }
    default: break
    }
    if let dotted {
      if let target = functionTarget(for: dotted) { return .functionReference(dotted, .function(target)) }
      if let builtin = compiler.builtins[dotted] { return .functionReference(dotted, .builtin(builtin)) }
      if specialBuiltins[dotted] != nil { return .functionReference(dotted, .special(dotted)) }
    }
    return try rewrite(term, scope, span)
  }

  /// The data path of a user function named as written in a call, or nil.
  private func functionTarget(for name: String) -> FunctionTarget? {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    var candidates: [[String]] = []
    if parts.first == "data" {
      candidates.append(parts)
    } else if let importPath = imports[parts[0]] {
      candidates.append(importPath + parts.dropFirst())
    } else {
      candidates.append(["data"] + module.package + parts)
    }
    for candidate in candidates {
      let path = candidate.map { Value.string($0) }
      if let node = compiler.functionNode(path) { return FunctionTarget(path: path, node: node) }
    }
    return nil
  }

  private mutating func rewrite(_ term: Term, _ scope: Scope, _ span: SourceSpan) throws(Diagnostic) -> Term {
    switch term {
    case .variable(let name):
      if name == "_" { return .local(newSlot(), "_") }
      if let slot = scope.lookup(name) { return .local(slot, name) }
      if scope.declaringScope(name) != nil {
        // Declared (by `:=` or `some`) further on, or in an enclosing body before its
        // declaration: a local of this scope, never a rule of the same name.
        let slot = newSlot()
        scope.slots[name] = slot
        return .local(slot, name)
      }
      if name == "input" { return .input }
      if name == "data" { return .data }
      if let path = imports[name] {
        let head: Term = path.first == "input" ? .input : .data
        let rest = path.dropFirst().map { Term.scalar(.string($0)) }
        return rest.isEmpty ? head : .ref(head, Array(rest))
      }
      if compiler.packageHasRule(module.package, name) {
        return .ref(.data, (module.package + [name]).map { .scalar(.string($0)) })
      }
      let slot = newSlot()
      scope.slots[name] = slot
      return .local(slot, name)
    case .ref(let head, let path):
      let newHead = try rewrite(head, scope, span)
      let newPath = try path.map { (part) throws(Diagnostic) in try rewrite(part, scope, span) }
      if case .ref(let innerHead, let innerPath) = newHead { return .ref(innerHead, innerPath + newPath) }
      return .ref(newHead, newPath)
    case .array(let elements):
      return .array(try elements.map { (element) throws(Diagnostic) in try rewrite(element, scope, span) })
    case .set(let elements):
      return .set(try elements.map { (element) throws(Diagnostic) in try rewrite(element, scope, span) })
    case .object(let members):
      var rewritten: [(Term, Term)] = []
      for (key, value) in members {
        rewritten.append((try rewrite(key, scope, span), try rewrite(value, scope, span)))
      }
      return .object(rewritten)
    case .call(var call):
      call.arguments = try call.arguments.map { (argument) throws(Diagnostic) in try rewrite(argument, scope, call.span) }
      call.resolved = try resolveCall(call)
      return .call(call)
    case .arrayComprehension(let head, let body):
      let inner = Scope(parent: scope)
      let (newBody, newHead) = try rewriteComprehension(body, [head], inner)
      return .arrayComprehension(newHead[0], newBody)
    case .setComprehension(let head, let body):
      let inner = Scope(parent: scope)
      let (newBody, newHead) = try rewriteComprehension(body, [head], inner)
      return .setComprehension(newHead[0], newBody)
    case .objectComprehension(let key, let value, let body):
      let inner = Scope(parent: scope)
      let (newBody, newHead) = try rewriteComprehension(body, [key, value], inner)
      return .objectComprehension(newHead[0], newHead[1], newBody)
    case .template(let parts):
      var rewritten: [TemplatePart] = []
      for part in parts {
        switch part {
        case .text: rewritten.append(part)
        case .expression(let inner): rewritten.append(.expression(try rewrite(inner, scope, span)))
        }
      }
      return .template(rewritten)
    case .scalar, .local, .input, .data, .functionReference:
      return term
    }
  }

  private mutating func rewriteComprehension(_ body: Body, _ head: [Term], _ scope: Scope) throws(Diagnostic) -> (Body, [Term]) {
    try declareBody(body, in: scope)
    collectImplicit(body, in: scope)
    for term in head { collectImplicitTerm(term, in: scope) }
    let newBody = try rewriteBody(body, scope)
    let newHead = try head.map { (term) throws(Diagnostic) in try rewrite(term, scope, body.first?.span ?? SourceSpan(file: module.file, start: 0)) }
    return (newBody, newHead)
  }

  private func resolveCall(_ call: Call) throws(Diagnostic) -> CallTarget {
    if let target = functionTarget(for: call.name) { return .function(target) }
    if let builtin = compiler.builtins[call.name] {
      if let arity = builtin.arity, call.arguments.count != arity, call.arguments.count != arity + 1 {
        throw Diagnostic(
          .regoTypeError, "\(call.name): arity mismatch\n\thave: (\(call.arguments.count) args)\n\twant: (\(arity) args)",
          span: call.span)
      }
      return .builtin(builtin)
    }
    if specialBuiltins[call.name] != nil { return .special(call.name) }
    throw Diagnostic(.regoTypeError, "undefined function \(call.name)", span: call.span)
  }

  // MARK: - Safety ordering

  /// Orders `body` so that each expression's inputs are bound before it runs, as OPA's safety
  /// check does; nested bodies are ordered with what is bound where they run.
  private mutating func order(_ body: Body, bound: inout Set<Int>, visible: Set<Int>, scope: Scope) throws(Diagnostic) -> Body {
    // Variables of this body outside its comprehensions: a comprehension that uses one of them
    // closes over it and must wait until it is bound.
    let savedOuter = outerSlotsStorage
    var outer = savedOuter.union(bound)
    for expr in body { outer.formUnion(shallowSlots(expr)) }
    outerSlotsStorage = outer
    defer { outerSlotsStorage = savedOuter }
    var remaining = body
    var ordered: Body = []
    while !remaining.isEmpty {
      var picked: Int? = nil
      for (index, expr) in remaining.enumerated() where isReady(expr, bound: bound, visible: visible) {
        picked = index
        break
      }
      guard let index = picked else {
        let expr = remaining[0]
        let missing = requirements(expr, bound: bound, visible: visible).subtracting(bound)
        let names = missing.map { name(of: $0, scope) }.filter { $0 != "_" }.sorted()
        throw Diagnostic(.regoUnsafeVarError, "var \(names.first ?? "_") is unsafe", span: expr.span)
      }
      var expr = remaining.remove(at: index)
      expr = try orderNested(expr, bound: bound, scope: scope)
      bound.formUnion(produces(expr))
      ordered.append(expr)
    }
    return ordered
  }

  private mutating func orderNested(_ expr: Expr, bound: Set<Int>, scope: Scope) throws(Diagnostic) -> Expr {
    var copy = expr
    switch expr.kind {
    case .term(let term): copy.kind = .term(try orderTerm(term, bound: bound, scope: scope))
    case .unify(let left, let right):
      copy.kind = .unify(try orderTerm(left, bound: bound, scope: scope), try orderTerm(right, bound: bound, scope: scope))
    case .assign(let left, let right):
      copy.kind = .assign(left, try orderTerm(right, bound: bound, scope: scope))
    case .someIn(let key, let value, let collection):
      copy.kind = .someIn(key: key, value: value, collection: try orderTerm(collection, bound: bound, scope: scope))
    case .every(let key, let value, let domain, let body):
      var inner = bound
      if let key { inner.formUnion(slots(in: key)) }
      inner.formUnion(slots(in: value))
      let newBody = try order(body, bound: &inner, visible: allSlots, scope: scope)
      copy.kind = .every(key: key, value: value, domain: try orderTerm(domain, bound: bound, scope: scope), body: newBody)
    case .some: break
    }
    return copy
  }

  private var allSlots: Set<Int> { Set(0..<frameSize) }

  private mutating func orderTerm(_ term: Term, bound: Set<Int>, scope: Scope) throws(Diagnostic) -> Term {
    switch term {
    case .arrayComprehension(let head, let body):
      var inner = bound
      let newBody = try order(body, bound: &inner, visible: allSlots, scope: scope)
      try checkHead([head], inner, body, scope)
      return .arrayComprehension(head, newBody)
    case .setComprehension(let head, let body):
      var inner = bound
      let newBody = try order(body, bound: &inner, visible: allSlots, scope: scope)
      try checkHead([head], inner, body, scope)
      return .setComprehension(head, newBody)
    case .objectComprehension(let key, let value, let body):
      var inner = bound
      let newBody = try order(body, bound: &inner, visible: allSlots, scope: scope)
      try checkHead([key, value], inner, body, scope)
      return .objectComprehension(key, value, newBody)
    case .ref(let head, let path):
      return .ref(try orderTerm(head, bound: bound, scope: scope), try path.map { (part) throws(Diagnostic) in try orderTerm(part, bound: bound, scope: scope) })
    case .array(let elements):
      return .array(try elements.map { (element) throws(Diagnostic) in try orderTerm(element, bound: bound, scope: scope) })
    case .set(let elements):
      return .set(try elements.map { (element) throws(Diagnostic) in try orderTerm(element, bound: bound, scope: scope) })
    case .object(let members):
      var result: [(Term, Term)] = []
      for (key, value) in members {
        result.append((try orderTerm(key, bound: bound, scope: scope), try orderTerm(value, bound: bound, scope: scope)))
      }
      return .object(result)
    case .call(var call):
      call.arguments = try call.arguments.map { (argument) throws(Diagnostic) in try orderTerm(argument, bound: bound, scope: scope) }
      return .call(call)
    default:
      return term
    }
  }

  private func checkHead(_ head: [Term], _ bound: Set<Int>, _ body: Body, _ scope: Scope) throws(Diagnostic) {
    var needed = Set<Int>()
    for term in head { needed.formUnion(slots(in: term)) }
    if let unsafe = needed.subtracting(bound).sorted().first, let span = body.first?.span {
      throw Diagnostic(.regoUnsafeVarError, "var \(name(of: unsafe, scope)) is unsafe", span: span)
    }
  }

  /// The output arity form: true when a call passes one more argument than the function takes.
  private func hasOutputArgument(_ call: Call) -> Bool {
    switch call.resolved {
    case .builtin(let builtin):
      if let arity = builtin.arity { return call.arguments.count == arity + 1 }
      return false
    case .function(let target):
      return call.arguments.count == (target.node.parameterCount ?? 0) + 1
    case .special(let name):
      if let arity = specialBuiltins[name] ?? nil { return call.arguments.count == arity + 1 }
      return false
    case .unresolved:
      return false
    }
  }

  private func isReady(_ expr: Expr, bound: Set<Int>, visible: Set<Int>) -> Bool {
    requirements(expr, bound: bound, visible: visible).isSubset(of: bound)
  }

  /// Slots that must be bound before `expr` can run.
  private func requirements(_ expr: Expr, bound: Set<Int>, visible: Set<Int>) -> Set<Int> {
    var needed = Set<Int>()
    for modifier in expr.withModifiers { needed.formUnion(valueInputs(modifier.value, visible)) }
    if expr.negated {
      // Variables of a negated expression must be bound, except those that occur only in it
      // (wildcards and locals of iterations inside it).
      var inner = expr
      inner.negated = false
      needed.formUnion(requirements(inner, bound: bound, visible: visible))
      return needed
    }
    switch expr.kind {
    case .term(let term):
      if case .call(let call) = term, hasOutputArgument(call) {
        for argument in call.arguments.dropLast() { needed.formUnion(valueInputs(argument, visible)) }
        if let last = call.arguments.last { needed.formUnion(patternInputs(last, visible)) }
      } else {
        needed.formUnion(valueInputs(term, visible))
      }
    case .unify(let left, let right), .assign(let left, let right):
      needed.formUnion(unifyRequirements(left, right, bound: bound, visible: visible))
    case .some:
      break
    case .someIn(let key, let value, let collection):
      needed.formUnion(valueInputs(collection, visible))
      if let key { needed.formUnion(patternInputs(key, visible)) }
      needed.formUnion(patternInputs(value, visible))
    case .every(let key, let value, let domain, let body):
      needed.formUnion(valueInputs(domain, visible))
      var local = slots(in: value)
      if let key { local.formUnion(slots(in: key)) }
      var inBody = Set<Int>()
      for inner in body { inBody.formUnion(exprSlots(inner)) }
      // Closure: body variables that also occur outside the every expression.
      needed.formUnion(inBody.subtracting(local).intersection(currentOuterSlots))
    }
    return needed
  }

  private func unifyRequirements(_ left: Term, _ right: Term, bound: Set<Int>, visible: Set<Int>) -> Set<Int> {
    let leftValue = valueInputs(left, visible)
    let rightValue = valueInputs(right, visible)
    let leftPattern = patternInputs(left, visible)
    let rightPattern = patternInputs(right, visible)
    // Either side can be evaluated and the other matched against it.
    if leftValue.union(rightPattern).isSubset(of: bound) { return [] }
    if rightValue.union(leftPattern).isSubset(of: bound) { return [] }
    // Two composite patterns unify element by element.
    if case .array(let a) = left, case .array(let b) = right, a.count == b.count {
      var needed = Set<Int>()
      var accumulated = bound
      for (x, y) in zip(a, b) {
        let requirement = unifyRequirements(x, y, bound: accumulated, visible: visible)
        needed.formUnion(requirement)
        accumulated.formUnion(slots(in: x).union(slots(in: y)))
      }
      return needed
    }
    if case .object(let a) = left, case .object(let b) = right, a.count == b.count {
      var needed = Set<Int>()
      for ((_, x), (_, y)) in zip(a, b) {
        needed.formUnion(unifyRequirements(x, y, bound: bound, visible: visible))
      }
      return needed
    }
    // Report the smaller set of missing inputs.
    let viaLeft = leftValue.union(rightPattern).subtracting(bound)
    let viaRight = rightValue.union(leftPattern).subtracting(bound)
    return viaLeft.count <= viaRight.count ? viaLeft : viaRight
  }

  /// Slots needed to evaluate `term` as a value. Variables used as reference indices are outputs
  /// (iteration binds them), not inputs.
  private func valueInputs(_ term: Term, _ visible: Set<Int>) -> Set<Int> {
    switch term {
    case .local(let slot, _): return [slot]
    case .ref(let head, let path):
      var result = valueInputs(head, visible)
      for part in path {
        if case .local = part { continue }
        if isPatternShape(part) {
          result.formUnion(patternInputs(part, visible))
        } else {
          result.formUnion(valueInputs(part, visible))
        }
      }
      return result
    case .array(let elements), .set(let elements):
      return elements.reduce(into: Set<Int>()) { $0.formUnion(valueInputs($1, visible)) }
    case .object(let members):
      return members.reduce(into: Set<Int>()) {
        $0.formUnion(valueInputs($1.0, visible))
        $0.formUnion(valueInputs($1.1, visible))
      }
    case .call(let call):
      let needed = call.arguments.reduce(into: Set<Int>()) { $0.formUnion(valueInputs($1, visible)) }
      let bound = call.arguments.reduce(into: Set<Int>()) { $0.formUnion(refIndexSlots($1)) }
      return needed.subtracting(bound)
    case .arrayComprehension(_, let body), .setComprehension(_, let body), .objectComprehension(_, _, let body):
      return closure(body)
    case .template(let parts):
      var result = Set<Int>()
      for case .expression(let inner) in parts { result.formUnion(valueInputs(inner, visible)) }
      return result
    case .scalar, .variable, .input, .data, .functionReference:
      return []
    }
  }

  /// Variables that a term binds by iterating a reference (`xs[i]` binds `i`).
  private func refIndexSlots(_ term: Term) -> Set<Int> {
    switch term {
    case .ref(let head, let path):
      var result = refIndexSlots(head)
      for part in path {
        if case .local(let slot, _) = part { result.insert(slot) } else { result.formUnion(refIndexSlots(part)) }
      }
      return result
    case .call(let call):
      return call.arguments.reduce(into: Set<Int>()) { $0.formUnion(refIndexSlots($1)) }
    case .array(let elements), .set(let elements):
      return elements.reduce(into: Set<Int>()) { $0.formUnion(refIndexSlots($1)) }
    case .object(let members):
      return members.reduce(into: Set<Int>()) { $0.formUnion(refIndexSlots($1.1)) }
    default:
      return []
    }
  }

  /// A comprehension's free variables: those used in it that the enclosing body also uses.
  private func closure(_ body: Body) -> Set<Int> {
    var inside = Set<Int>()
    for expr in body { inside.formUnion(exprSlots(expr)) }
    return inside.intersection(currentOuterSlots)
  }

  /// Slots of the body being ordered that occur outside comprehensions (set per ordering call).
  private var currentOuterSlots: Set<Int> { outerSlotsStorage }
  private var outerSlotsStorage: Set<Int> = []

  private func isPatternShape(_ term: Term) -> Bool {
    switch term {
    case .array, .object: return true
    default: return false
    }
  }

  /// Slots needed to match `term` as a pattern: bare variables are outputs; composites are
  /// matched element-wise; anything else must be evaluable.
  private func patternInputs(_ term: Term, _ visible: Set<Int>) -> Set<Int> {
    switch term {
    case .local: return []
    case .array(let elements):
      return elements.reduce(into: Set<Int>()) { $0.formUnion(patternInputs($1, visible)) }
    case .object(let members):
      return members.reduce(into: Set<Int>()) {
        $0.formUnion(valueInputs($1.0, visible))
        $0.formUnion(patternInputs($1.1, visible))
      }
    default:
      return valueInputs(term, visible)
    }
  }

  /// Slots an expression binds when it succeeds.
  private func produces(_ expr: Expr) -> Set<Int> {
    if expr.negated { return [] }
    switch expr.kind {
    case .term(let term): return slots(in: term, skipComprehensions: true)
    case .unify(let left, let right), .assign(let left, let right):
      return slots(in: left, skipComprehensions: true).union(slots(in: right, skipComprehensions: true))
    case .some: return []
    case .someIn(let key, let value, let collection):
      var result = slots(in: value).union(slots(in: collection, skipComprehensions: true))
      if let key { result.formUnion(slots(in: key)) }
      return result
    case .every: return []
    }
  }

  /// Slots of an expression outside nested comprehension and `every` bodies.
  private func shallowSlots(_ expr: Expr) -> Set<Int> {
    var result = Set<Int>()
    switch expr.kind {
    case .term(let term): result = slots(in: term, skipComprehensions: true)
    case .unify(let left, let right), .assign(let left, let right):
      result = slots(in: left, skipComprehensions: true).union(slots(in: right, skipComprehensions: true))
    case .some: break
    case .someIn(let key, let value, let collection):
      result = slots(in: value).union(slots(in: collection, skipComprehensions: true))
      if let key { result.formUnion(slots(in: key)) }
    case .every(_, _, let domain, _):
      result = slots(in: domain, skipComprehensions: true)
    }
    for modifier in expr.withModifiers { result.formUnion(slots(in: modifier.value, skipComprehensions: true)) }
    return result
  }

  private func exprSlots(_ expr: Expr) -> Set<Int> {
    var result = Set<Int>()
    switch expr.kind {
    case .term(let term): result = slots(in: term)
    case .unify(let left, let right), .assign(let left, let right): result = slots(in: left).union(slots(in: right))
    case .some: break
    case .someIn(let key, let value, let collection):
      result = slots(in: value).union(slots(in: collection))
      if let key { result.formUnion(slots(in: key)) }
    case .every(let key, let value, let domain, let body):
      result = slots(in: value).union(slots(in: domain))
      if let key { result.formUnion(slots(in: key)) }
      for inner in body { result.formUnion(exprSlots(inner)) }
    }
    for modifier in expr.withModifiers { result.formUnion(slots(in: modifier.value)) }
    return result
  }

  /// Every local slot in a term (including comprehension bodies unless skipped).
  func slots(in term: Term, skipComprehensions: Bool = false) -> Set<Int> {
    switch term {
    case .local(let slot, _): return [slot]
    case .ref(let head, let path):
      return path.reduce(into: slots(in: head, skipComprehensions: skipComprehensions)) {
        $0.formUnion(slots(in: $1, skipComprehensions: skipComprehensions))
      }
    case .array(let elements), .set(let elements):
      return elements.reduce(into: Set<Int>()) { $0.formUnion(slots(in: $1, skipComprehensions: skipComprehensions)) }
    case .object(let members):
      return members.reduce(into: Set<Int>()) {
        $0.formUnion(slots(in: $1.0, skipComprehensions: skipComprehensions))
        $0.formUnion(slots(in: $1.1, skipComprehensions: skipComprehensions))
      }
    case .call(let call):
      return call.arguments.reduce(into: Set<Int>()) { $0.formUnion(slots(in: $1, skipComprehensions: skipComprehensions)) }
    case .arrayComprehension(let head, let body), .setComprehension(let head, let body):
      if skipComprehensions { return [] }
      var result = slots(in: head)
      for expr in body { result.formUnion(exprSlots(expr)) }
      return result
    case .objectComprehension(let key, let value, let body):
      if skipComprehensions { return [] }
      var result = slots(in: key).union(slots(in: value))
      for expr in body { result.formUnion(exprSlots(expr)) }
      return result
    case .template(let parts):
      var result = Set<Int>()
      for case .expression(let inner) in parts { result.formUnion(slots(in: inner, skipComprehensions: skipComprehensions)) }
      return result
    case .scalar, .variable, .input, .data, .functionReference:
      return []
    }
  }
}

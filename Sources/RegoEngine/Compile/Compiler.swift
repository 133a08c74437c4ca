internal import PolicyCore
internal import RegoBuiltins

/// Compiles parsed modules into a rule tree with resolved, safety-ordered bodies.
///
/// Stages, as OPA's compiler runs them: merge modules into one package tree; resolve names
/// (locals to frame slots, rule names and imports to `data` references, calls to builtins or
/// user functions); reorder each body so every variable is bound before it is used, reporting
/// unsafe variables with their position.
struct Compiler {
  let builtins: BuiltinRegistry
  let root = RuleNode(path: [])
  private var packageRules: [[String]: Set<String>] = [:]

  init(builtins: BuiltinRegistry) { self.builtins = builtins }

  /// Builds the tree and compiles every rule.
  mutating func compile(_ modules: [Module]) throws(Diagnostic) -> RuleNode {
    for module in modules {
      var names = packageRules[module.package] ?? []
      for rule in module.rules { names.insert(rule.name) }
      packageRules[module.package] = names
    }
    for module in modules {
      var node = root.child(.string("data"), create: true) ?? root
      for name in module.package { node = node.child(.string(name), create: true) ?? node }
      node.isPackage = true
      for rule in module.rules {
        try place(rule, in: module)
      }
    }
    for module in modules {
      for rule in module.rules {
        var resolver = Resolver(compiler: self, module: module)
        try resolver.resolveRule(rule)
      }
    }
    try checkConflicts(root)
    root.finalize()
    return root
  }

  /// Compiles a query against the tree: returns the body and the named variables with their slots.
  func compileQuery(_ body: Body, file: SourceFile) throws(Diagnostic) -> (body: Body, frameSize: Int, variables: [(String, Int)]) {
    let module = Module(file: file, package: [], imports: [], rules: [], isV1: true)
    var resolver = Resolver(compiler: self, module: module)
    return try resolver.resolveQuery(body)
  }

  private func place(_ rule: Rule, in module: Module) throws(Diagnostic) {
    var node = root
    node = node.child(.string("data"), create: true) ?? node
    for name in module.package {
      node = node.child(.string(name), create: true) ?? node
    }
    // Walk the ground prefix of the head.
    var index = 0
    while index < rule.path.count, case .scalar(let key) = rule.path[index] {
      if rule.kind == .partialObject && index == rule.path.count - 1 { break }
      node = node.child(key, create: true) ?? node
      index += 1
    }
    // A partial set under a head with variables (`a[x] contains y`) contributes sets inside an
    // object, like a partial object does.
    let isNestedSet = rule.kind == .partialSet && index < rule.path.count
    switch rule.kind {
    case _ where isNestedSet:
      node.objectRules.append(rule)
      node.objectRuleSuffixStart[ObjectIdentifier(rule)] = index
    case .partialObject:
      node.objectRules.append(rule)
      node.objectRuleSuffixStart[ObjectIdentifier(rule)] = index
    default:
      if rule.isDefault {
        if node.defaultRule != nil {
          throw Diagnostic(.regoTypeError, "multiple default rules \(node.dottedPath) found", span: rule.span)
        }
        node.defaultRule = rule
      } else {
        node.rules.append(rule)
      }
    }
  }

  private func checkConflicts(_ node: RuleNode) throws(Diagnostic) {
    let kinds = Set((node.rules + [node.defaultRule].compactMap { $0 }).map { "\($0.kind)" })
    if kinds.count > 1, let rule = node.rules.first {
      throw Diagnostic(.regoTypeError, "conflicting rules \(node.dottedPath) found", span: rule.span)
    }
    if node.isFunction {
      let arities = Set(node.rules.map(\.parameters.count) + [node.defaultRule?.parameters.count].compactMap { $0 })
      if arities.count > 1, let rule = node.rules.first {
        throw Diagnostic(.regoTypeError, "conflicting rules \(node.dottedPath) found", span: rule.span)
      }
    }
    for child in node.children.values { try checkConflicts(child) }
  }

  /// True when the package has a rule of this name.
  func packageHasRule(_ package: [String], _ name: String) -> Bool {
    packageRules[package]?.contains(name) ?? false
  }

  /// The function node at a data path, if it is a user function.
  func functionNode(_ path: [Value]) -> RuleNode? {
    guard let node = root.descendant(path), node.isFunction else { return nil }
    return node
  }
}

internal import PolicyCore

/// A node of the virtual document tree: a package, a rule path, or an intermediate key.
///
/// Lookups of `data.x.y` walk this tree by key instead of scanning rules, and each node knows the
/// rules that produce its value: rules whose head path ends here (complete rules, partial sets,
/// functions, defaults) and rules whose head continues below here with variables
/// (`a.b[x].c := v`, partial objects).
final class RuleNode: @unchecked Sendable {
  // @unchecked: built once by the compiler, read-only during evaluation.
  let path: [Value]
  var children: [Value: RuleNode] = [:]
  /// Complete rules, partial-set rules and functions ending exactly at this node.
  var rules: [Rule] = []
  var defaultRule: Rule?
  /// Rules whose head has a variable part below this node: they contribute object members.
  var objectRules: [Rule] = []
  /// Where each object rule's head path continues (index into `Rule.path`).
  var objectRuleSuffixStart: [ObjectIdentifier: Int] = [:]

  /// True for nodes that are a package of some module (an empty package is still `{}`).
  var isPackage = false

  init(path: [Value]) { self.path = path }

  /// True when rules define this node's value (as opposed to a package or intermediate node).
  var isRuleNode: Bool { !rules.isEmpty || defaultRule != nil }
  var isFunction: Bool { rules.first?.kind == .function || defaultRule?.kind == .function }

  func child(_ key: Value, create: Bool) -> RuleNode? {
    if let existing = children[key] { return existing }
    guard create else { return nil }
    let node = RuleNode(path: path + [key])
    children[key] = node
    return node
  }

  /// The children by name when there are few and all keys are strings (set by `finalize`): a
  /// lookup compares a handful of short strings instead of hashing the key.
  private var namedChildren: [(name: String, node: RuleNode)]?

  /// The child under `key` during evaluation (after `finalize`).
  @inline(__always)
  func evaluationChild(_ key: Value) -> RuleNode? {
    if let namedChildren {
      guard case .string(let name) = key else { return nil }
      // `==` is Unicode canonical equivalence; keys are equal only byte for byte.
      for child in namedChildren where child.name == name && compareUTF8(child.name, name) == 0 {
        return child.node
      }
      return nil
    }
    return children[key]
  }

  /// The node at a path below this one, if the tree has it.
  func descendant(_ keys: some Collection<Value>) -> RuleNode? {
    var node = self
    for key in keys {
      guard let next = node.children[key] else { return nil }
      node = next
    }
    return node
  }

  /// True when this node or any below it has rules (set by `finalize`).
  var containsRules = false

  /// Position of this node in its tree (set by `finalize`): per-evaluation state such as the
  /// value cache is kept in arrays indexed by it instead of dictionaries keyed by node.
  var index = 0

  /// Computes `containsRules` and `index` for the whole subtree; the compiler calls it once on
  /// the root. Returns the number of nodes numbered.
  @discardableResult
  func finalize() -> Int {
    var next = 0
    _ = finalize(numbering: &next)
    treeSize = next
    return next
  }

  /// Number of nodes in the tree (on the root, after `finalize`).
  var treeSize = 0

  /// The index over `rules` by an input equality, when they are many and test one (`finalize`).
  var ruleIndex: RuleIndex?

  private func finalize(numbering next: inout Int) -> Bool {
    index = next
    next += 1
    if !isFunction { ruleIndex = RuleIndex.build(rules) }
    namedChildren = children.count <= 8 && children.keys.allSatisfy { $0.stringValue != nil }
      ? children.map { (name: $0.key.stringValue ?? "", node: $0.value) } : nil
    var result = isRuleNode || !objectRules.isEmpty || isPackage
    for child in children.values where child.finalize(numbering: &next) { result = true }
    containsRules = result
    return result
  }

  /// True when the node's rules are functions taking `count` parameters.
  var parameterCount: Int? { rules.first?.parameters.count ?? defaultRule?.parameters.count }

  var dottedPath: String {
    path.map { key -> String in
      if case .string(let name) = key { return name }
      return "[\(key.json)]"
    }.joined(separator: ".")
  }
}

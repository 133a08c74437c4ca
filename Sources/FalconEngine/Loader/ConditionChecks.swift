/// The checks Falco runs on a rule's condition once macros are resolved: unknown fields (errors,
/// or warnings under `skip-if-unknown-filter`), constants that look like
/// misused fields, unsafe `<NA>` comparisons, deprecated fields, and the event types the rule can
/// match.
enum ConditionChecks {
  /// A problem found in a condition, with the node it is about.
  struct Finding {
    var message: String
    var position: ConditionPosition
  }

  /// Fields whose use Falco reports as deprecated (`falco::load_result::deprecated_field`).
  static let deprecatedFields = ["evt.dir", "evt.latency", "evt.latency.s", "evt.latency.ns", "evt.latency.human", "evt.wait_latency"]

  /// The deepest a resolved condition may nest. Macro expansion can stack trees far deeper than
  /// the parser allows; past this the rule is refused rather than risking the stack.
  static let maxResolvedDepth = 1000

  /// The nesting depth of a tree, without recursion.
  static func depth(of tree: ConditionExpression) -> Int {
    var deepest = 0
    var stack: [(ConditionExpression, Int)] = [(tree, 1)]
    while let (node, depth) = stack.popLast() {
      deepest = max(deepest, depth)
      for child in node.children { stack.append((child, depth + 1)) }
    }
    return deepest
  }

  /// The first field the table does not know (libsinsp's compile error). Event type names are
  /// not checked: libsinsp also accepts every syscall name through its generic event, and that
  /// table is not part of the field table yet.
  static func unknownFilter(in tree: ConditionExpression, fields: any FieldTable) -> Finding? {
    for node in tree.allNodes {
      if case .field(let name, _) = node.kind, case .unknown = fields.lookup(name) {
        return Finding(message: "filter_check called with nonexistent field \(name)", position: node.position)
      }
    }
    return nil
  }

  /// Constants on the right of a comparison that look like a field or a transformer, which
  /// libsinsp's compiler reports because the author probably meant `val(...)`.
  static func misusedConstants(in tree: ConditionExpression, fields: any FieldTable) -> [Finding] {
    var findings: [Finding] = []
    for node in tree.allNodes {
      guard case .binaryCheck(_, _, _, let right) = node.kind, case .value(let value) = right.kind else { continue }
      let text = RuleReader.trimmed(value)
      var fieldLexer = ConditionLexer(bytes: Array(text.utf8))
      if fieldLexer.lexFieldName(), fieldLexer.atEnd {
        if case .known = fields.lookup(text) {
          findings.append(Finding(message: "'\(value)' may be a valid field misused as a const string value", position: right.position))
        }
        continue
      }
      var parser = ConditionParser(text + " exists")
      if let check = try? parser.parse(), case .unaryCheck(let left, _) = check.kind, case .transformer = left.kind {
        let unknownField = left.allNodes.contains { node in
          if case .field(let name, _) = node.kind, case .unknown = fields.lookup(name) { return true }
          return false
        }
        if !unknownField {
          findings.append(Finding(message: "'\(value)' may be a valid field transformer misused as a const string value", position: right.position))
        }
      }
    }
    return findings
  }

  /// Comparisons of `ka.*`/`jevt.*` fields with `<NA>`, which Falco warns are unsafe.
  static func unsafeNAChecks(in tree: ConditionExpression) -> [Finding] {
    var findings: [Finding] = []
    for node in tree.allNodes {
      guard case .binaryCheck(let left, let op, _, let right) = node.kind, case .field(let name, _) = left.kind,
        name.hasPrefix("ka.") || name.hasPrefix("jevt."), ["==", "=", "!=", "in", "intersects", "pmatch"].contains(op)
      else { continue }
      let compared: [String]
      switch right.kind {
      case .value(let value): compared = [value]
      case .list(let values): compared = values
      default: compared = []
      }
      if compared.contains("<NA>") {
        findings.append(Finding(
          message: "comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
          position: node.position))
      }
    }
    return findings
  }

  /// Deprecated fields used in the condition, each once, in first-use order.
  static func deprecatedFields(in tree: ConditionExpression) -> [(String, ConditionPosition)] {
    var found: [(String, ConditionPosition)] = []
    for node in tree.allNodes {
      if case .field(let name, _) = node.kind, deprecatedFields.contains(name), !found.contains(where: { $0.0 == name }) {
        found.append((name, node.position))
      }
    }
    return found
  }

  // MARK: - Event types

  /// The event types a condition can match: some names, or every type but some names.
  enum EventTypes: Equatable {
    case only(Set<String>)
    case allExcept(Set<String>)

    static let all = EventTypes.allExcept([])
    static let none = EventTypes.only([])

    func intersection(_ other: EventTypes) -> EventTypes {
      switch (self, other) {
      case (.only(let a), .only(let b)): return .only(a.intersection(b))
      case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return .only(a.subtracting(b))
      case (.allExcept(let a), .allExcept(let b)): return .allExcept(a.union(b))
      }
    }

    func union(_ other: EventTypes) -> EventTypes {
      switch (self, other) {
      case (.only(let a), .only(let b)): return .only(a.union(b))
      case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return .allExcept(b.subtracting(a))
      case (.allExcept(let a), .allExcept(let b)): return .allExcept(a.intersection(b))
      }
    }

    /// How many event codes this is, given each name's code count; nil when unbounded (every
    /// type but some, with no table to count "every").
    func codeCount(_ counts: [String: Int]?) -> Int? {
      switch self {
      case .only(let names):
        guard let counts else { return names.count * 2 }
        return names.reduce(0) { $0 + (counts[$1] ?? 0) }
      case .allExcept(let names):
        guard let counts else { return nil }
        let total = counts.values.reduce(0, +)
        return total - names.reduce(0) { $0 + (counts[$1] ?? 0) }
      }
    }
  }

  /// The event types `tree` can match, as Falco's event-type resolver computes them: `evt.type`
  /// comparisons give their types, other checks every type, `and`/`or` intersect/unite (swapped
  /// under `not`), and `evt.num = 0`, Falco's "never true" idiom, gives none. Iterative.
  static func eventTypes(of tree: ConditionExpression) -> EventTypes {
    enum Work {
      case visit(ConditionExpression, negated: Bool)
      case combine(count: Int, intersect: Bool)
    }
    var work: [Work] = [.visit(tree, negated: false)]
    var results: [EventTypes] = []
    while let item = work.popLast() {
      switch item {
      case .combine(let count, let intersect):
        let operands = results.suffix(count)
        results.removeLast(count)
        guard var combined = operands.first else {
          results.append(.all)
          continue
        }
        for operand in operands.dropFirst() { combined = intersect ? combined.intersection(operand) : combined.union(operand) }
        results.append(combined)
      case .visit(let node, let negated):
        switch node.kind {
        case .and(let children), .or(let children):
          var intersect: Bool
          if case .and = node.kind { intersect = true } else { intersect = false }
          if negated { intersect.toggle() }
          work.append(.combine(count: children.count, intersect: intersect))
          for child in children.reversed() { work.append(.visit(child, negated: negated)) }
        case .not(let child):
          work.append(.visit(child, negated: !negated))
        case .binaryCheck(let left, let op, nil, let right):
          results.append(checkTypes(left: left, op: op, right: right, negated: negated))
        default:
          results.append(.all)
        }
      }
    }
    return results.last ?? .all
  }

  private static func checkTypes(left: ConditionExpression, op: String, right: ConditionExpression, negated: Bool) -> EventTypes {
    guard case .field(let name, nil) = left.kind else { return .all }
    if name == "evt.num", op == "=" || op == "==", case .value("0") = right.kind {
      return negated ? .all : .none
    }
    guard name == "evt.type" else { return .all }
    let names: Set<String>
    switch right.kind {
    case .value(let value) where op == "=" || op == "==" || op == "!=": names = [value]
    case .list(let values) where op == "in": names = Set(values)
    default: return .all
    }
    let positive = op != "!="
    return positive != negated ? .only(names) : .allExcept(names)
  }
}

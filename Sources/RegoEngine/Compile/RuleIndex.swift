internal import PolicyCore

/// An index over the rules of one node by an equality on the input, as OPA's rule indexer does:
/// when most rules of a node test `input.<path> == <constant>` (or `=`), evaluation reads
/// `input.<path>` once and tries only the rules whose constant matches, plus the rules that do
/// not test that path. Rules with `else` branches are never skipped (a failed test still leaves
/// their `else` values), and only string and boolean constants are indexed.
struct RuleIndex: Sendable {
  /// The input path the rules test (`["review", "kind", "kind"]`).
  let path: [String]
  /// Rule positions by constant, in rule order.
  let byValue: [Value: [Int]]
  /// Rules that do not test the path: always tried.
  let unindexed: [Int]

  /// Nodes with fewer rules are scanned without an index.
  static let minimumRules = 4

  /// Builds the index for `rules`, or nil when no path is tested by at least half of them.
  static func build(_ rules: [Rule]) -> RuleIndex? {
    guard rules.count >= minimumRules else { return nil }
    var tests: [[(path: [String], value: Value)]] = []
    var counts: [[String]: Int] = [:]
    for rule in rules {
      let found = rule.elseBranches.isEmpty ? equalities(rule.body) : []
      tests.append(found)
      for path in Set(found.map(\.path)) { counts[path, default: 0] += 1 }
    }
    guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.lexicographicallyPrecedes($1.key)) }),
      best.value * 2 >= rules.count
    else { return nil }
    var byValue: [Value: [Int]] = [:]
    var unindexed: [Int] = []
    for (position, found) in tests.enumerated() {
      let values = found.filter { $0.path == best.key }.map(\.value)
      // A rule testing the path against two different constants can never hold; keep it
      // unindexed rather than reason about it.
      if let value = values.first, values.allSatisfy({ $0 == value }) {
        byValue[value, default: []].append(position)
      } else {
        unindexed.append(position)
      }
    }
    return RuleIndex(path: best.key, byValue: byValue, unindexed: unindexed)
  }

  /// The positions of the rules worth trying when `input.<path>` is `value` (undefined when the
  /// path does not exist), in rule order.
  func candidates(for value: Value) -> [Int] {
    guard value.isDefined, let matching = byValue[value] else { return unindexed }
    if unindexed.isEmpty { return matching }
    return (matching + unindexed).sorted()
  }

  /// The `input.<path> == constant` tests of a body's positive, unmodified expressions.
  private static func equalities(_ body: Body) -> [(path: [String], value: Value)] {
    var result: [(path: [String], value: Value)] = []
    for expr in body where !expr.negated && !expr.hasModifiers {
      let pair: (Term, Term)
      switch expr.kind {
      case .unify(let left, let right): pair = (left, right)
      case .term(.call(let call)) where call.name == "equal" && call.arguments.count == 2:
        pair = (call.arguments[0], call.arguments[1])
      default: continue
      }
      if let test = equality(pair.0, pair.1) ?? equality(pair.1, pair.0) { result.append(test) }
    }
    return result
  }

  private static func equality(_ reference: Term, _ constant: Term) -> (path: [String], value: Value)? {
    guard case .ref(.input, let parts) = reference, !parts.isEmpty, case .scalar(let value) = constant else { return nil }
    switch value {
    case .string, .bool: break
    default: return nil
    }
    var path: [String] = []
    for part in parts {
      guard case .scalar(.string(let key)) = part else { return nil }
      path.append(key)
    }
    return (path, value)
  }
}

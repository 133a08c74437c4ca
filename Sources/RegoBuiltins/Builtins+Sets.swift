internal import PolicyCore

// Set operators and functions, after OPA's v1/topdown/binary.go and sets.go. The deprecated
// `set_diff` is not registered: OPA v1 no longer offers it (use `x - y`).

extension BuiltinRegistry {
  /// Adds the sets family. Keep entries sorted.
  mutating func registerSets() {
    add("and", arity: 2, category: "sets", SetBuiltins.and)
    add("intersection", arity: 1, category: "sets", SetBuiltins.intersection)
    add("or", arity: 2, category: "sets", SetBuiltins.or)
    add("union", arity: 1, category: "sets", SetBuiltins.union)
  }
}

private enum SetBuiltins {
  /// `and(x, y)`, the `x & y` operator: the elements in both sets.
  static func and(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let left = try arguments.set(0)
    let right = try arguments.set(1)
    return .set(left.intersection(right))
  }

  /// `or(x, y)`, the `x | y` operator: the elements in either set.
  static func or(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let left = try arguments.set(0)
    let right = try arguments.set(1)
    return .set(left.union(right))
  }

  /// `intersection(sets)`: the elements common to every set in a set of sets; the empty set for
  /// no sets (`intersection(set()) == set()`).
  static func intersection(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let sets = try members(arguments)
    guard var result = sets.first else { return .set(ValueSet()) }
    for set in sets.dropFirst() {
      if result.isEmpty { break }
      result = result.intersection(set)
    }
    return .set(result)
  }

  /// `union(sets)`: the elements of any set in a set of sets.
  static func union(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    var elements: [Value] = []
    for set in try members(arguments) { elements.append(contentsOf: set.sortedElements) }
    return .set(ValueSet(elements))
  }

  /// The sets inside a set-of-sets operand. OPA names operand 1 and the offending element's
  /// kind when an element is not a set.
  private static func members(_ arguments: BuiltinArguments) throws(BuiltinError) -> [ValueSet] {
    var sets: [ValueSet] = []
    for element in try arguments.set(0) {
      guard case .set(let set) = element else { throw .operand(0, mustBe: "set", got: element) }
      sets.append(set)
    }
    return sets
  }
}

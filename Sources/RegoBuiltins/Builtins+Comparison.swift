internal import PolicyCore

// Comparison operators, after OPA's v1/topdown/comparison.go. Any two values compare, in OPA's
// total order (`null < false < true < numbers < strings < arrays < objects < sets`), so
// `1 < "a"` is true rather than an error.

extension BuiltinRegistry {
  /// Adds the comparison family. Keep entries sorted.
  mutating func registerComparison() {
    add("equal", arity: 2, category: "comparison", ComparisonBuiltins.equal)
    add("gt", arity: 2, category: "comparison", ComparisonBuiltins.greaterThan)
    add("gte", arity: 2, category: "comparison", ComparisonBuiltins.greaterThanOrEqual)
    add("lt", arity: 2, category: "comparison", ComparisonBuiltins.lessThan)
    add("lte", arity: 2, category: "comparison", ComparisonBuiltins.lessThanOrEqual)
    add("neq", arity: 2, category: "comparison", ComparisonBuiltins.notEqual)
  }
}

private enum ComparisonBuiltins {
  /// `equal(x, y)`, the `x == y` operator: true when the values are equal (numbers by value, so
  /// `1 == 1.0` and `[1] == [1.0]`).
  static func equal(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .bool(arguments[0] == arguments[1])
  }

  /// `neq(x, y)`, the `x != y` operator.
  static func notEqual(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .bool(arguments[0] != arguments[1])
  }

  /// `lt(x, y)`, the `x < y` operator.
  static func lessThan(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .bool(Value.compare(arguments[0], arguments[1]) < 0)
  }

  /// `lte(x, y)`, the `x <= y` operator.
  static func lessThanOrEqual(
    _ arguments: BuiltinArguments, _ context: BuiltinContext
  ) throws(BuiltinError) -> Value {
    .bool(Value.compare(arguments[0], arguments[1]) <= 0)
  }

  /// `gt(x, y)`, the `x > y` operator.
  static func greaterThan(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .bool(Value.compare(arguments[0], arguments[1]) > 0)
  }

  /// `gte(x, y)`, the `x >= y` operator.
  static func greaterThanOrEqual(
    _ arguments: BuiltinArguments, _ context: BuiltinContext
  ) throws(BuiltinError) -> Value {
    .bool(Value.compare(arguments[0], arguments[1]) >= 0)
  }
}

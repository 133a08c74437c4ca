internal import PolicyCore

// Aggregates over collections, after OPA's v1/topdown/aggregates.go. The deprecated `all` and
// `any` are not registered: OPA v1 no longer offers them unless compiled for v0 compatibility.

extension BuiltinRegistry {
  /// Adds the aggregates family. Keep entries sorted.
  mutating func registerAggregates() {
    add("count", arity: 1, category: "aggregates", AggregateBuiltins.count)
    add("internal.member_2", arity: 2, category: "aggregates", AggregateBuiltins.member)
    add("internal.member_3", arity: 3, category: "aggregates", AggregateBuiltins.memberWithKey)
    add("max", arity: 1, category: "aggregates", AggregateBuiltins.max)
    add("min", arity: 1, category: "aggregates", AggregateBuiltins.min)
    add("product", arity: 1, category: "aggregates", AggregateBuiltins.product)
    add("sort", arity: 1, category: "aggregates", AggregateBuiltins.sort)
    add("sum", arity: 1, category: "aggregates", AggregateBuiltins.sum)
  }
}

private enum AggregateBuiltins {
  /// `count(collection)`: the number of elements of an array, set or object, or of Unicode code
  /// points in a string (`count("åäö") == 3`).
  static func count(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    switch arguments[0] {
    case .array(let elements): return .int(elements.count)
    case .object(let object): return .int(object.count)
    case .set(let set): return .int(set.count)
    case .string(let text): return .int(text.unicodeScalars.count)
    default:
      throw BuiltinError(
        .type, "operand 1 must be one of {array, object, set, string} but got \(arguments[0].typeName)")
    }
  }

  /// `sum(collection)`: the sum of an array or set of numbers; exact for integers of any size,
  /// otherwise OPA's 64-bit binary float arithmetic (`sum([0.1, 0.2]) == 0.3`).
  static func sum(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.sum(numbers(arguments[0])))
  }

  /// `product(collection)`: the product of an array or set of numbers; exact for integers,
  /// otherwise binary float arithmetic as OPA does it.
  static func product(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .number(try RegoArithmetic.product(numbers(arguments[0])))
  }

  /// `max(collection)`: the largest element of an array or set in OPA's value order (any kinds
  /// may mix); undefined for an empty collection.
  static func max(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    switch arguments[0] {
    case .array(let elements):
      var best: Value?
      for element in elements where best.map({ Value.compare($0, element) <= 0 }) ?? true { best = element }
      return best ?? .undefined
    case .set(let set):
      return set.last ?? .undefined
    default:
      throw BuiltinError(.type, "operand 1 must be one of {set, array} but got \(arguments[0].typeName)")
    }
  }

  /// `min(collection)`: the smallest element of an array or set in OPA's value order; undefined
  /// for an empty collection.
  static func min(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    switch arguments[0] {
    case .array(let elements):
      var best: Value?
      for element in elements where best.map({ Value.compare($0, element) >= 0 }) ?? true { best = element }
      return best ?? .undefined
    case .set(let set):
      return set.first ?? .undefined
    default:
      throw BuiltinError(.type, "operand 1 must be one of {set, array} but got \(arguments[0].typeName)")
    }
  }

  /// `sort(collection)`: the elements of an array or set as an array in OPA's value order.
  static func sort(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    switch arguments[0] {
    case .array(let elements):
      // Stable, so equal numbers written differently (1 and 1.0) keep their input order.
      return .array(stableSorted(elements))
    case .set(let set):
      return .array(set.sortedElements)
    default:
      throw BuiltinError(.type, "operand 1 must be one of {set, array} but got \(arguments[0].typeName)")
    }
  }

  /// `internal.member_2(x, collection)`, the `x in collection` operator: true when an array or
  /// set element, or an object value, equals `x`; false for any other collection.
  static func member(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let needle = arguments[0]
    switch arguments[1] {
    case .set(let set): return .bool(set.contains(needle))
    case .array(let elements): return .bool(elements.contains(needle))
    case .object(let object): return .bool(object.contains { $0.value == needle })
    default: return .bool(false)
    }
  }

  /// `internal.member_3(key, value, collection)`, the `key, value in collection` operator: true
  /// when the array element at index `key` or the object member at `key` equals `value`; for a
  /// set, when `key` is an element and equals `value`.
  static func memberWithKey(
    _ arguments: BuiltinArguments, _ context: BuiltinContext
  ) throws(BuiltinError) -> Value {
    let key = arguments[0]
    let value = arguments[1]
    switch arguments[2] {
    case .set(let set):
      return .bool(set.contains(key) && key == value)
    case .array(let elements):
      // OPA's Array.Get takes only integers written as integers: index 1.0 finds nothing.
      guard case .number(let number) = key, let index = number.intValue,
        !number.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
        index >= 0, index < elements.count
      else { return .bool(false) }
      return .bool(elements[index] == value)
    case .object(let object):
      guard let member = object[key] else { return .bool(false) }
      return .bool(member == value)
    default:
      return .bool(false)
    }
  }

  /// The numbers of an array or set operand, with OPA's element errors.
  private static func numbers(_ collection: Value) throws(BuiltinError) -> [Number] {
    let elements: [Value]
    switch collection {
    case .array(let array): elements = array
    case .set(let set): elements = set.sortedElements
    default:
      throw BuiltinError(.type, "operand 1 must be one of {set, array} but got \(collection.typeName)")
    }
    var numbers: [Number] = []
    numbers.reserveCapacity(elements.count)
    for element in elements {
      guard case .number(let number) = element else {
        let kind = collection.typeName
        throw BuiltinError(
          .type, "operand 1 must be \(kind) of numbers but got \(kind) containing \(element.typeName)")
      }
      numbers.append(number)
    }
    return numbers
  }

  private static func stableSorted(_ elements: [Value]) -> [Value] {
    let indexed = elements.enumerated().sorted { left, right in
      let order = Value.compare(left.element, right.element)
      return order != 0 ? order < 0 : left.offset < right.offset
    }
    return indexed.map(\.element)
  }
}

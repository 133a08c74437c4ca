/// A JSON-shaped value extended with sets and non-string object keys, shared by all engines.
///
/// Rego evaluates over these (input, data, rule results), the WAF's JSON body processor flattens
/// them into ARGS, and Falcon prints alerts from them. Arrays, objects and sets are copy-on-write
/// Swift collections, so copying a `Value` is a few reference-count operations, like regorus's
/// `Rc` values. `undefined` is a real case, as in regorus: Rego needs a value that is "no value"
/// inside collections of results.
///
/// Equality, hashing and ordering follow OPA: strings compare by UTF-8 bytes (not by Unicode
/// canonical equivalence), numbers by value, and kinds in the order
/// `undefined < null < boolean < number < string < array < object < set`.
public enum Value: Sendable {
  case undefined
  case null
  case bool(Bool)
  case number(Number)
  case string(String)
  case array([Value])
  case object(ValueObject)
  case set(ValueSet)

  /// Creates an integer number value.
  @inlinable
  public static func int(_ value: Int) -> Value { .number(Number(value)) }

  /// The kind's name as OPA's `type_name` builtin reports it.
  public var typeName: String {
    switch self {
    case .undefined: return "undefined"
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    case .set: return "set"
    }
  }

  /// The position of the kind in OPA's total order.
  @inlinable
  var kindRank: Int {
    switch self {
    case .undefined: return 0
    case .null: return 1
    case .bool: return 2
    case .number: return 3
    case .string: return 4
    case .array: return 5
    case .object: return 6
    case .set: return 7
    }
  }

  /// True unless the value is `undefined`.
  @inlinable
  public var isDefined: Bool {
    if case .undefined = self { return false }
    return true
  }

  /// The string payload, if this is a string.
  @inlinable
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The number payload, if this is a number.
  @inlinable
  public var numberValue: Number? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The array payload, if this is an array.
  @inlinable
  public var arrayValue: [Value]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The object payload, if this is an object.
  @inlinable
  public var objectValue: ValueObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The set payload, if this is a set.
  @inlinable
  public var setValue: ValueSet? {
    if case .set(let value) = self { return value }
    return nil
  }

  /// Looks up an object member by string key; `undefined` when absent or not an object.
  @inlinable
  public subscript(key: String) -> Value {
    if case .object(let object) = self { return object[key] ?? .undefined }
    return .undefined
  }

  /// Looks up an array element; `undefined` when out of range or not an array.
  @inlinable
  public subscript(index: Int) -> Value {
    if case .array(let array) = self, index >= 0, index < array.count { return array[index] }
    return .undefined
  }
}

// Deliberately not ExpressibleByNilLiteral: `cond ? value : nil` in a function returning
// `Value?` would silently produce `.null` instead of `nil`. Write `.null` for JSON null.
extension Value: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(Number(value)) }
  public init(floatLiteral value: Double) { self = .number(Number(value)) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: Value...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (Value, Value)...) {
    self = .object(ValueObject(elements.map { ValueObject.Entry(key: $0.0, value: $0.1) }))
  }
}

extension Value {
  /// The address of an array's, object's or set's storage: two values with the same token share
  /// their (immutable) storage and are equal without comparing elements. Nil for scalars and
  /// empty collections. For caches keyed by identity, where a miss only costs a recomputation.
  public var storageToken: UInt? {
    switch self {
    case .array(let elements): return elements.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
    case .object(let object): return object.entries.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
    case .set(let set): return set.elements.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
    default: return nil
    }
  }
}

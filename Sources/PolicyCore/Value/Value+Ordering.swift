#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Compares two strings by their UTF-8 bytes, as Go (and so OPA) compares strings.
///
/// Swift's `String` comparison follows Unicode canonical equivalence, which would make a
/// precomposed "é" equal to "e" plus a combining accent; policy engines must not.
public func compareUTF8(_ lhs: String, _ rhs: String) -> Int {
  // Borrow both strings' bytes in place: `withUTF8` needs `var` copies, a retain and a release
  // of each string per comparison (sorting a JSON object's keys compared dozens of times).
  let order = lhs.utf8.withContiguousStorageIfAvailable { left in
    rhs.utf8.withContiguousStorageIfAvailable { right in compareBytes(left, right) }
  }
  if let order, let order { return order }
  var lhs = lhs
  var rhs = rhs
  return lhs.withUTF8 { left in rhs.withUTF8 { right in compareBytes(left, right) } }
}

@inline(__always)
private func compareBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
  let common = min(left.count, right.count)
  if common > 0, let leftBase = left.baseAddress, let rightBase = right.baseAddress {
    let order = memcmp(leftBase, rightBase, common)
    if order != 0 { return order < 0 ? -1 : 1 }
  }
  return left.count < right.count ? -1 : (left.count == right.count ? 0 : 1)
}

extension Value: Hashable, Comparable {
  /// Three-way comparison in OPA's total order.
  ///
  /// Kinds order `undefined < null < boolean < number < string < array < object < set`; within a
  /// kind: `false < true`, numbers by value, strings by UTF-8 bytes, arrays element by element
  /// then by length, objects by their sorted keys and then values pairwise then by size, sets by
  /// their sorted elements then by size.
  public static func compare(_ lhs: Value, _ rhs: Value) -> Int {
    switch (lhs, rhs) {
    case (.string(let left), .string(let right)):
      return compareUTF8(left, right)
    case (.number(let left), .number(let right)):
      return Number.compare(left, right)
    case (.bool(let left), .bool(let right)):
      return left == right ? 0 : (left ? 1 : -1)
    case (.null, .null), (.undefined, .undefined):
      return 0
    case (.array(let left), .array(let right)):
      return compareSequences(left, right)
    case (.object(let left), .object(let right)):
      let common = min(left.entries.count, right.entries.count)
      for index in 0..<common {
        let keyOrder = compare(left.entries[index].key, right.entries[index].key)
        if keyOrder != 0 { return keyOrder }
        let valueOrder = compare(left.entries[index].value, right.entries[index].value)
        if valueOrder != 0 { return valueOrder }
      }
      return left.entries.count < right.entries.count
        ? -1 : (left.entries.count == right.entries.count ? 0 : 1)
    case (.set(let left), .set(let right)):
      return compareSequences(left.elements, right.elements)
    default:
      let left = lhs.kindRank
      let right = rhs.kindRank
      return left < right ? -1 : (left == right ? 0 : 1)
    }
  }

  private static func compareSequences(_ lhs: [Value], _ rhs: [Value]) -> Int {
    let common = min(lhs.count, rhs.count)
    for index in 0..<common {
      let order = compare(lhs[index], rhs[index])
      if order != 0 { return order }
    }
    return lhs.count < rhs.count ? -1 : (lhs.count == rhs.count ? 0 : 1)
  }

  public static func == (lhs: Value, rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.string(let left), .string(let right)):
      return left.utf8.count == right.utf8.count && compareUTF8(left, right) == 0
    case (.array(let left), .array(let right)):
      return left.count == right.count && compare(lhs, rhs) == 0
    default:
      return compare(lhs, rhs) == 0
    }
  }

  public static func < (lhs: Value, rhs: Value) -> Bool { compare(lhs, rhs) < 0 }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(kindRank)
    switch self {
    case .undefined, .null: break
    case .bool(let value): hasher.combine(value)
    case .number(let value): hasher.combine(value)
    case .string(let value):
      // Hash the bytes, consistent with byte-wise equality.
      var copy = value
      copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    case .array(let values):
      hasher.combine(values.count)
      for value in values { hasher.combine(value) }
    case .object(let object):
      hasher.combine(object.entries.count)
      for entry in object.entries {
        hasher.combine(entry.key)
        hasher.combine(entry.value)
      }
    case .set(let set):
      hasher.combine(set.elements.count)
      for value in set.elements { hasher.combine(value) }
    }
  }
}

/// A set of values, kept sorted in OPA's value order with no duplicates.
///
/// Sorted storage is what OPA prints (sets serialise as sorted arrays), allows binary-search
/// membership, and makes union, intersection and difference linear merges.
public struct ValueSet: Sendable, Hashable, RandomAccessCollection {
  @usableFromInline
  var elements: [Value]

  /// The empty set.
  public init() { elements = [] }

  /// Creates a set from values in any order, dropping duplicates.
  public init<S: Sequence>(_ values: S) where S.Element == Value {
    var elements = Array(values)
    if elements.count > 1 {
      elements.sort { Value.compare($0, $1) < 0 }
      var write = 1
      for read in 1..<elements.count where Value.compare(elements[write - 1], elements[read]) != 0 {
        elements[write] = elements[read]
        write += 1
      }
      elements.removeLast(elements.count - write)
    }
    self.elements = elements
  }

  /// Creates a set from values already sorted and unique (not checked).
  @inlinable
  public init(sortedUnique: [Value]) { elements = sortedUnique }

  public typealias Index = Int
  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { elements.count }
  @inlinable public subscript(position: Int) -> Value { elements[position] }

  /// The members as a sorted array.
  @inlinable public var sortedElements: [Value] { elements }

  /// Where `value` is or would be inserted.
  @usableFromInline
  func search(_ value: Value) -> (found: Bool, index: Int) {
    var low = 0
    var high = elements.count
    while low < high {
      let mid = (low &+ high) >> 1
      let order = Value.compare(elements[mid], value)
      if order == 0 { return (true, mid) }
      if order < 0 { low = mid + 1 } else { high = mid }
    }
    return (false, low)
  }

  /// True when `value` is a member.
  @inlinable
  public func contains(_ value: Value) -> Bool { search(value).found }

  /// Adds a member; returns false if it was already present.
  @discardableResult
  public mutating func insert(_ value: Value) -> Bool {
    let (found, index) = search(value)
    if found { return false }
    elements.insert(value, at: index)
    return true
  }

  /// Removes a member; returns false if it was absent.
  @discardableResult
  public mutating func remove(_ value: Value) -> Bool {
    let (found, index) = search(value)
    if !found { return false }
    elements.remove(at: index)
    return true
  }

  /// The members of either set.
  public func union(_ other: ValueSet) -> ValueSet {
    merge(other) { inLeft, inRight in inLeft || inRight }
  }

  /// The members of both sets.
  public func intersection(_ other: ValueSet) -> ValueSet {
    merge(other) { inLeft, inRight in inLeft && inRight }
  }

  /// The members of this set that are not in `other`.
  public func subtracting(_ other: ValueSet) -> ValueSet {
    merge(other) { inLeft, inRight in inLeft && !inRight }
  }

  private func merge(_ other: ValueSet, keep: (Bool, Bool) -> Bool) -> ValueSet {
    var result: [Value] = .reserved(Swift.max(elements.count, other.elements.count))
    var left = 0
    var right = 0
    while left < elements.count || right < other.elements.count {
      if left == elements.count {
        if keep(false, true) { result.append(other.elements[right]) }
        right += 1
      } else if right == other.elements.count {
        if keep(true, false) { result.append(elements[left]) }
        left += 1
      } else {
        let order = Value.compare(elements[left], other.elements[right])
        if order == 0 {
          if keep(true, true) { result.append(elements[left]) }
          left += 1
          right += 1
        } else if order < 0 {
          if keep(true, false) { result.append(elements[left]) }
          left += 1
        } else {
          if keep(false, true) { result.append(other.elements[right]) }
          right += 1
        }
      }
    }
    return ValueSet(sortedUnique: result)
  }
}

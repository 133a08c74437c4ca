/// An object: members kept sorted by key in OPA's value order, keys unique.
///
/// Sorted storage gives OPA's canonical output order for free, binary-search lookup, and linear
/// merge for comparison. JSON objects are built once by the parser (sorted there, last duplicate
/// wins as in Go's encoding/json); keys may be any `Value`, as Rego allows `{1: "a", [2]: "b"}`.
public struct ValueObject: Sendable, Hashable, RandomAccessCollection {
  /// One member.
  public struct Entry: Sendable, Hashable {
    public var key: Value
    public var value: Value
    @inlinable
    public init(key: Value, value: Value) {
      self.key = key
      self.value = value
    }
  }

  @usableFromInline
  var entries: [Entry]

  /// The empty object.
  public init() { entries = [] }

  /// Creates an object from members in any order; for duplicate keys the last one wins.
  public init(_ members: [Entry]) {
    entries = members
    ValueObject.normalise(&entries)
  }

  /// Creates an object from string-keyed pairs; for duplicate keys the last one wins.
  public init(_ members: [(String, Value)]) {
    self.init(members.map { Entry(key: .string($0.0), value: $0.1) })
  }

  /// Creates an object from members already sorted by key with no duplicates (not checked).
  @inlinable
  public init(sortedUniqueEntries: [Entry]) { entries = sortedUniqueEntries }

  /// Sorts members by key, keeping the last of equal keys. Stable sort keeps source order among
  /// equal keys, so "last" means last in the input.
  @usableFromInline
  static func normalise(_ entries: inout [Entry]) {
    if entries.count < 2 { return }
    var sorted = true
    var unique = true
    for index in 1..<entries.count {
      let order = Value.compare(entries[index - 1].key, entries[index].key)
      if order > 0 { sorted = false; break }
      if order == 0 { unique = false }
    }
    if sorted && unique { return }
    if !sorted {
      entries.sort { Value.compare($0.key, $1.key) < 0 }
    }
    var write = 0
    for read in 0..<entries.count {
      if write > 0, Value.compare(entries[write - 1].key, entries[read].key) == 0 {
        entries[write - 1] = entries[read]
      } else {
        if write != read { entries[write] = entries[read] }
        write += 1
      }
    }
    entries.removeLast(entries.count - write)
  }

  // MARK: Collection

  public typealias Index = Int
  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { entries.count }
  @inlinable public subscript(position: Int) -> Entry { entries[position] }

  /// The keys in order.
  public var keys: [Value] { entries.map(\.key) }
  /// The values in key order.
  public var values: [Value] { entries.map(\.value) }

  // MARK: Lookup

  /// The index of `key`, or nil.
  @inlinable
  public func index(forKey key: Value) -> Int? {
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low &+ high) >> 1
      let order = Value.compare(entries[mid].key, key)
      if order == 0 { return mid }
      if order < 0 { low = mid + 1 } else { high = mid }
    }
    return nil
  }

  /// The index of the string key, or nil. Faster than building a `Value` key.
  @inlinable
  public func index(forKey key: String) -> Int? {
    // Small objects (most of a Kubernetes document): a linear scan with String's `==`, which for
    // short strings compares two machine words. `==` is Unicode canonical equivalence, so a hit
    // is confirmed on the bytes (JSON keys are distinct byte strings).
    if entries.count <= 8 {
      for index in entries.indices {
        if case .string(let candidate) = entries[index].key, candidate == key, candidate.utf8.elementsEqual(key.utf8) {
          return index
        }
      }
      return nil
    }
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low &+ high) >> 1
      let order: Int
      if case .string(let candidate) = entries[mid].key {
        order = compareUTF8(candidate, key)
      } else {
        // Non-string keys order before strings only if their kind ranks lower.
        order = entries[mid].key.kindRank < 4 ? -1 : 1
      }
      if order == 0 { return mid }
      if order < 0 { low = mid + 1 } else { high = mid }
    }
    return nil
  }

  /// The member value for a key, or nil.
  @inlinable
  public subscript(key: Value) -> Value? {
    guard let index = index(forKey: key) else { return nil }
    return entries[index].value
  }

  /// The member value for a string key, or nil.
  @inlinable
  public subscript(key: String) -> Value? {
    guard let index = index(forKey: key) else { return nil }
    return entries[index].value
  }

  /// Sets or replaces a member.
  public mutating func set(_ value: Value, forKey key: Value) {
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low + high) >> 1
      let order = Value.compare(entries[mid].key, key)
      if order == 0 {
        entries[mid].value = value
        return
      }
      if order < 0 { low = mid + 1 } else { high = mid }
    }
    entries.insert(Entry(key: key, value: value), at: low)
  }

  /// Removes a member; returns its value if it was present.
  @discardableResult
  public mutating func remove(key: Value) -> Value? {
    guard let index = index(forKey: key) else { return nil }
    return entries.remove(at: index).value
  }
}

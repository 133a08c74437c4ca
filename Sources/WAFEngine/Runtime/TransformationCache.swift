/// A transaction's transformed values, keyed by (cache slot, entry) packed into 64 bits: open
/// addressing with linear probing over power-of-two arrays, so a lookup hashes one integer and
/// touches no nested array (a per-slot array of per-entry arrays cost a uniqueness check and
/// reference counting on every lookup).
struct TransformationCache {
  private var keys: [UInt64] = []
  /// nil marks a free slot.
  private var values: [[UInt8]?] = []
  private var count = 0

  /// The value stored for `key`, or nil.
  @inline(__always)
  func value(for key: UInt64) -> [UInt8]? {
    guard count > 0 else { return nil }
    let mask = keys.count - 1
    var index = Self.home(key, mask)
    while let value = values[index] {
      if keys[index] == key { return value }
      index = (index + 1) & mask
    }
    return nil
  }

  /// Stores `value` for `key` (replacing an earlier value).
  mutating func insert(_ value: [UInt8], for key: UInt64) {
    if (count + 1) * 2 > keys.count { grow() }
    let mask = keys.count - 1
    var index = Self.home(key, mask)
    while values[index] != nil {
      if keys[index] == key {
        values[index] = value
        return
      }
      index = (index + 1) & mask
    }
    keys[index] = key
    values[index] = value
    count += 1
  }

  /// `count` free slots, written as zero bytes (nil) in one pass: `Array(repeating: nil, ...)`
  /// calls the runtime for every element.
  private static func freeSlots(_ count: Int) -> [[UInt8]?] {
    [[UInt8]?](unsafeUninitializedCapacity: count) { buffer, initialized in
      if let base = buffer.baseAddress {
        base.initialize(repeating: nil, count: count)
      }
      initialized = count
    }
  }

  @inline(__always)
  private static func home(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    let capacity = max(1024, keys.count * 2)
    keys = [UInt64](repeating: 0, count: capacity)
    values = Self.freeSlots(capacity)
    count = 0
    for index in oldKeys.indices {
      if let value = oldValues[index] { insert(value, for: oldKeys[index]) }
    }
  }
}

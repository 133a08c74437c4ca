/// A transaction's transformed values, keyed by (cache slot, entry) packed into 64 bits: open
/// addressing with linear probing over power-of-two arrays, so a lookup hashes one integer and
/// touches no nested array. Values are spans into the transaction's arena, so a hit costs no
/// reference counting.
struct TransformationCache {
  private var keys: [UInt64] = []
  private var values: [ByteSpan] = []
  /// Whether each slot is taken.
  private var used: [Bool] = []
  private var count = 0

  /// The value stored for `key`, or nil.
  @inline(__always)
  func value(for key: UInt64) -> ByteSpan? {
    guard count > 0 else { return nil }
    let mask = keys.count - 1
    var index = Self.home(key, mask)
    while used[index] {
      if keys[index] == key { return values[index] }
      index = (index + 1) & mask
    }
    return nil
  }

  /// Stores `value` for `key` (replacing an earlier value).
  mutating func insert(_ value: ByteSpan, for key: UInt64) {
    if (count + 1) * 2 > keys.count { grow() }
    let mask = keys.count - 1
    var index = Self.home(key, mask)
    while used[index] {
      if keys[index] == key {
        values[index] = value
        return
      }
      index = (index + 1) & mask
    }
    keys[index] = key
    values[index] = value
    used[index] = true
    count += 1
  }

  @inline(__always)
  private static func home(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    let oldUsed = used
    let capacity = max(1024, keys.count * 2)
    keys = [UInt64](repeating: 0, count: capacity)
    values = [ByteSpan](repeating: .empty, count: capacity)
    used = [Bool](repeating: false, count: capacity)
    count = 0
    for index in oldKeys.indices where oldUsed[index] {
      insert(oldValues[index], for: oldKeys[index])
    }
  }
}

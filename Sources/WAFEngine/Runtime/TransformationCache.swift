/// An open-addressed table from 64-bit keys to plain values: linear probing over power-of-two
/// arrays, so a lookup hashes one integer and touches no nested array. A transaction keeps two:
/// its transformed values and what it learned about which transformations leave a value alone.
struct IntegerKeyedTable<Value> {
  /// One probe reads one slot: key, whether it is taken, and the value side by side.
  private struct Slot {
    var key: UInt64
    /// The slot is taken when this equals the table's `stamp` (so ``removeAll()`` need not
    /// touch the slots).
    var stamp: UInt32
    var value: Value
  }

  private var slots: [Slot] = []
  private var count = 0
  private var stamp: UInt32 = 1
  private let initialCapacity: Int
  /// What free slots hold.
  private let filler: Value

  init(initialCapacity: Int, filler: Value) {
    self.initialCapacity = initialCapacity
    self.filler = filler
  }

  /// The value stored for `key`, or nil.
  @inline(__always)
  func value(for key: UInt64) -> Value? {
    guard count > 0 else { return nil }
    let stamp = self.stamp
    return slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      var index = Self.home(key, mask)
      while slots[index].stamp == stamp {
        if slots[index].key == key { return slots[index].value }
        index = (index + 1) & mask
      }
      return nil
    }
  }

  /// Stores `value` for `key` (replacing an earlier value).
  mutating func insert(_ value: Value, for key: UInt64) {
    if (count + 1) * 2 > slots.count { grow() }
    let mask = slots.count - 1
    var index = Self.home(key, mask)
    while slots[index].stamp == stamp {
      if slots[index].key == key {
        slots[index].value = value
        return
      }
      index = (index + 1) & mask
    }
    slots[index] = Slot(key: key, stamp: stamp, value: value)
    count += 1
  }

  /// Number of slots (0 until the first insert).
  var capacity: Int { slots.count }

  /// Empties the table, keeping its memory (for the next transaction).
  mutating func removeAll() {
    count = 0
    stamp &+= 1
    if stamp == 0 {
      // After 2^32 resets: clear the stamps once so no old slot looks taken.
      for i in slots.indices { slots[i].stamp = 0 }
      stamp = 1
    }
  }

  @inline(__always)
  private static func home(_ key: UInt64, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
  }

  private mutating func grow() {
    let old = slots
    let oldStamp = stamp
    slots = [Slot](repeating: Slot(key: 0, stamp: 0, value: filler), count: max(initialCapacity, slots.count * 2))
    stamp = 1
    count = 0
    for slot in old where slot.stamp == oldStamp { insert(slot.value, for: slot.key) }
  }
}

/// Transformed values (spans into the transaction's arena, so a hit costs no reference
/// counting), keyed by (cache slot, entry).
typealias TransformationCache = IntegerKeyedTable<ByteSpan>

/// Per stored value, the transformations tried on it (`known`) and those of them that left it
/// unchanged (`identity`), as `Transformation.bit`s: most values pass most transformations
/// unchanged, and many rules apply the same transformations in different lists.
struct TransformationIdentities {
  var known: UInt64 = 0
  var identity: UInt64 = 0

  init() {}

  /// What the bytes of a value tell before any transformation runs: every transformation whose
  /// ``Transformation/changingBytes`` the value lacks leaves it unchanged.
  init(presumingFrom value: UnsafeBufferPointer<UInt8>) {
    let unchanged = Transformation.unchangedTransformations(presence: ByteRangeSet(of: value))
    known = unchanged
    identity = unchanged
  }

  /// Whether `t` is known to leave the value unchanged.
  @inline(__always)
  func leavesUnchanged(_ t: Transformation) -> Bool { identity & t.bit != 0 }

  /// Records what running `t` on the value showed; returns whether that was new.
  @inline(__always)
  mutating func record(_ t: Transformation, unchanged: Bool) -> Bool {
    let bit = t.bit
    guard known & bit == 0 else { return false }
    known |= bit
    if unchanged { identity |= bit }
    return true
  }
}

/// A read-only map from names to small numbers, compared as bytes (not by Unicode canonical
/// equivalence, as `String` equality would: libsinsp compares field values byte for byte).
///
/// Open addressing over a power-of-two slot array; the keys' bytes sit in one buffer. Built
/// once while compiling, read on every event of a bucket that dispatches on `proc.name`.
struct NameTable: Sendable {
  private struct Slot {
    var start: Int32 = 0
    var count: Int32 = -1  // -1: empty
    var value: Int32 = 0
    var hash: UInt32 = 0
  }

  private let slots: [Slot]
  private let bytes: [UInt8]
  private let mask: Int

  /// Whether the table maps no name.
  let isEmpty: Bool

  /// A table of `entries` (later duplicates are ignored).
  init(_ entries: [(name: String, value: Int)]) {
    var capacity = 8
    while capacity < entries.count * 2 { capacity <<= 1 }
    var slots = [Slot](repeating: Slot(), count: capacity)
    var bytes: [UInt8] = []
    let mask = capacity - 1
    for (name, value) in entries {
      let key = Array(name.utf8)
      let hash = NameTable.hash(key)
      var index = Int(hash) & mask
      var present = false
      while slots[index].count >= 0 {
        let slot = slots[index]
        if slot.hash == hash, Int(slot.count) == key.count, bytes[Int(slot.start)..<Int(slot.start) + key.count].elementsEqual(key) {
          present = true
          break
        }
        index = (index + 1) & mask
      }
      if present { continue }
      slots[index] = Slot(start: Int32(bytes.count), count: Int32(key.count), value: Int32(value), hash: hash)
      bytes += key
    }
    self.slots = slots
    self.bytes = bytes
    self.mask = mask
    self.isEmpty = entries.isEmpty
  }

  /// FNV-1a over the bytes, folded to 32 bits.
  @inline(__always)
  static func hash<Bytes: Collection<UInt8>>(_ key: Bytes) -> UInt32 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
  }

  /// The value of `name`, or nil.
  func value(of name: String) -> Int? {
    if let found = name.utf8.withContiguousStorageIfAvailable({ value(of: $0) }) { return found }
    return Array(name.utf8).withUnsafeBufferPointer { value(of: $0) }
  }

  /// The value of the name whose bytes are `key`, or nil.
  func value(of key: UnsafeBufferPointer<UInt8>) -> Int? {
    let hash = NameTable.hash(key)
    return slots.withUnsafeBufferPointer { slots -> Int? in
      bytes.withUnsafeBufferPointer { bytes -> Int? in
        var index = Int(hash) & mask
        while true {
          let slot = slots[index]
          if slot.count < 0 { return nil }
          if slot.hash == hash, Int(slot.count) == key.count {
            var equal = true
            var offset = 0
            let start = Int(slot.start)
            while offset < key.count {
              if bytes[start + offset] != key[offset] {
                equal = false
                break
              }
              offset += 1
            }
            if equal { return Int(slot.value) }
          }
          index = (index + 1) & mask
        }
      }
    }
  }
}

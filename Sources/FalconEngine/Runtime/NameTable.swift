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

  /// A multiply-mix hash of the bytes read eight at a time, folded to 32 bits.
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var hash: UInt64 = 0x9e37_79b9_7f4a_7c15 &+ UInt64(key.count)
    guard let base = key.baseAddress else { return UInt32(truncatingIfNeeded: hash) }
    let raw = UnsafeRawPointer(base)
    var offset = 0
    while offset + 8 <= key.count {
      hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
      hash ^= hash >> 29
      offset += 8
    }
    if offset < key.count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while offset < key.count {
        tail |= UInt64(base[offset]) << shift
        shift += 8
        offset += 1
      }
      hash = (hash ^ tail) &* 0xc4ce_b9fe_1a85_ec53
      hash ^= hash >> 32
    }
    return UInt32(truncatingIfNeeded: hash)
  }

  /// ``hash(_:)`` of an array's bytes.
  static func hash(_ key: [UInt8]) -> UInt32 { key.withUnsafeBufferPointer { hash($0) } }

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
            guard let keyBase = key.baseAddress, let bytesBase = bytes.baseAddress else { return Int(slot.value) }
            if ByteMatching.equal(keyBase, bytesBase + Int(slot.start), key.count) { return Int(slot.value) }
          }
          index = (index + 1) & mask
        }
      }
    }
  }
}

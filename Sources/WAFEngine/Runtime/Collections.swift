/// A writable collection (`TX`, `IP`, ...): keys are stored lowercased, insertion order kept.
///
/// Keys and values are bytes in one buffer (`storage`), and an entry is four offsets into it, so
/// writing a variable (CRS writes about 200 per request) allocates nothing once the buffer has
/// grown, and dropping the collection frees two arrays instead of one per key and value. A write
/// appends the new value and leaves the old bytes behind; when the abandoned bytes outweigh the
/// live ones the buffer is compacted (``compactIfWasteful()``), so its size stays within a small
/// multiple of what the variables hold. An open-addressed index of entry numbers, hashed over the
/// key's bytes, finds a key without hashing a `String`.
struct WritableCollection: Sendable {
  /// Where an entry's key and value sit in `storage`.
  struct Entry: Sendable {
    var keyStart: Int32
    var keyCount: Int32
    var valueStart: Int32
    var valueCount: Int32
  }

  private(set) var storage: [UInt8] = []
  private(set) var entries: [Entry] = []
  /// Entry number + 1 per slot (0: free); a power of two at most half full.
  private var index: [Int32] = []
  /// Bytes of `storage` that entries still use.
  private var liveBytes = 0

  /// The most a collection holds, keys and values together (after compaction): a write that would
  /// pass it is dropped, so that rules such as `setvar:tx.x=%{tx.x}%{tx.x}` cannot exhaust
  /// memory. Far above what any rule set writes (CRS stays under 16 KB per request); documented
  /// with the other limits in docs/waf-evaluation.md.
  static let storageLimit = 64 << 20

  subscript(key: String) -> [UInt8]? {
    var collection = self
    // Keys are stored lowercased; callers pass them so (WAFResult lowercases first).
    let bytes = Array(key.utf8)
    return bytes.withUnsafeBufferPointer { key in
      collection.withValue(forKey: key, hash: Self.hash(key)) { Array($0) }
    }
  }

  /// The value stored under the lowercased key `key` (whose ``hash(_:)`` is `hash`), handed
  /// to `body` in place; nil when there is none. `body` must not write to this collection.
  /// Mutating only so that a caller reading through a pointer lends the collection instead of
  /// copying it (which retains its three buffers); it changes nothing.
  mutating func withValue<R>(forKey key: UnsafeBufferPointer<UInt8>, hash: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    guard let slot = find(key, hash: hash) else { return nil }
    let entry = entries[slot]
    return storage.withUnsafeBufferPointer {
      body(UnsafeBufferPointer(rebasing: $0[Int(entry.valueStart)..<Int(entry.valueStart + entry.valueCount)]))
    }
  }

  /// Every entry's key and value, in insertion order, in place. `body` must not write to this
  /// collection. Mutating for the reason ``withValue(forKey:hash:_:)`` is; it changes nothing.
  mutating func forEachEntry(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
    entries.withUnsafeBufferPointer { entries in
      storage.withUnsafeBufferPointer { storage in
        guard let base = storage.baseAddress else { return }
        for i in entries.indices {
          let entry = entries[i]
          body(
            UnsafeBufferPointer(start: base + Int(entry.keyStart), count: Int(entry.keyCount)),
            UnsafeBufferPointer(start: base + Int(entry.valueStart), count: Int(entry.valueCount)))
        }
      }
    }
  }

  /// `set` for a key given as its lowercased bytes and precomputed hash.
  mutating func set(keyBytes: UnsafeBufferPointer<UInt8>, hash: Int, _ value: UnsafeBufferPointer<UInt8>) {
    // A key or value read from this collection's own buffer would move if appending grows it.
    if pointsIntoStorage(value) || pointsIntoStorage(keyBytes) {
      let key = Array(keyBytes)
      let copy = Array(value)
      key.withUnsafeBufferPointer { key in copy.withUnsafeBufferPointer { set(keyBytes: key, hash: hash, $0) } }
      return
    }
    guard makeRoom(value.count + keyBytes.count) else { return }
    let valueStart = Int32(storage.count)
    storage.append(contentsOf: value)
    store(keyBytes: keyBytes, hash: hash, at: find(keyBytes, hash: hash), valueStart: valueStart, valueCount: Int32(value.count))
  }

  mutating func set(keyBytes: [UInt8], hash: Int, _ value: [UInt8]) {
    keyBytes.withUnsafeBufferPointer { key in value.withUnsafeBufferPointer { set(keyBytes: key, hash: hash, $0) } }
  }

  /// setvar's `=+n` / `=-n`: the stored number (0 when missing or not a number) plus `added`
  /// or minus `subtracted`, left unchanged on overflow, stored as decimal text.
  mutating func add(keyBytes: UnsafeBufferPointer<UInt8>, hash: Int, _ added: Int?, subtracting subtracted: Int?) {
    let slot = find(keyBytes, hash: hash)
    let current = slot.map { slot in
      storage.withUnsafeBufferPointer {
        secLangInteger(UnsafeBufferPointer(rebasing: $0[Int(entries[slot].valueStart)..<Int(entries[slot].valueStart + entries[slot].valueCount)]))
      }
    } ?? 0
    let (result, overflow) =
      if let added { current.addingReportingOverflow(added) } else { current.subtractingReportingOverflow(subtracted ?? 0) }
    guard makeRoom(20 + keyBytes.count) else { return }
    let valueStart = Int32(storage.count)
    Self.appendDecimal(overflow ? current : result, to: &storage)
    store(keyBytes: keyBytes, hash: hash, at: slot, valueStart: valueStart, valueCount: Int32(storage.count) - valueStart)
  }

  mutating func add(keyBytes: [UInt8], hash: Int, _ added: Int?, subtracting subtracted: Int?) {
    keyBytes.withUnsafeBufferPointer { add(keyBytes: $0, hash: hash, added, subtracting: subtracted) }
  }

  mutating func set(_ key: String, _ value: [UInt8]) {
    let keyBytes = Array(key.utf8)
    set(keyBytes: keyBytes, hash: keyBytes.withUnsafeBufferPointer { Self.hash($0) }, value)
  }

  mutating func remove(_ key: String) {
    let keyBytes = Array(key.utf8)
    guard let slot = keyBytes.withUnsafeBufferPointer({ find($0, hash: Self.hash($0)) }) else { return }
    liveBytes -= Int(entries[slot].keyCount + entries[slot].valueCount)
    entries.remove(at: slot)
    rebuildIndex()
  }

  /// Points the entry for `keyBytes` (at `slot`, or nil when there is none) at the value just
  /// appended at `valueStart`, adding the entry and the key's bytes when it is new.
  private mutating func store(keyBytes: UnsafeBufferPointer<UInt8>, hash: Int, at slot: Int?, valueStart: Int32, valueCount: Int32) {
    if let slot {
      liveBytes += Int(valueCount - entries[slot].valueCount)
      entries[slot].valueStart = valueStart
      entries[slot].valueCount = valueCount
    } else {
      let keyStart = Int32(storage.count)
      storage.append(contentsOf: keyBytes)
      liveBytes += keyBytes.count + Int(valueCount)
      entries.append(Entry(keyStart: keyStart, keyCount: Int32(keyBytes.count), valueStart: valueStart, valueCount: valueCount))
      if entries.count * 2 > index.count {
        rebuildIndex()
      } else {
        insertIndex(entries.count - 1, hash: hash)
      }
    }
    compactIfWasteful()
  }

  private func pointsIntoStorage(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    return storage.withUnsafeBufferPointer { own in own.baseAddress.map { base >= $0 && base < $0 + own.count } ?? false }
  }

  /// Whether `count` more bytes fit under ``storageLimit``, compacting first when abandoned
  /// values are what stands in the way. A write that does not fit is dropped (see the limit).
  private mutating func makeRoom(_ count: Int) -> Bool {
    if storage.count + count <= Self.storageLimit { return true }
    if liveBytes < storage.count { compact() }
    return storage.count + count <= Self.storageLimit
  }

  /// Copies the live keys and values into a fresh buffer once abandoned values make up most of
  /// it (a variable rewritten on every rule, such as an anomaly score, leaves one old copy per
  /// write).
  private mutating func compactIfWasteful() {
    guard storage.count > 4096, storage.count > 4 * liveBytes else { return }
    compact()
  }

  private mutating func compact() {
    var fresh: [UInt8] = []
    fresh.reserveCapacity(2 * liveBytes)
    for i in entries.indices {
      let entry = entries[i]
      let keyStart = Int32(fresh.count)
      fresh.append(contentsOf: storage[Int(entry.keyStart)..<Int(entry.keyStart + entry.keyCount)])
      let valueStart = Int32(fresh.count)
      fresh.append(contentsOf: storage[Int(entry.valueStart)..<Int(entry.valueStart + entry.valueCount)])
      entries[i] = Entry(keyStart: keyStart, keyCount: entry.keyCount, valueStart: valueStart, valueCount: entry.valueCount)
    }
    storage = fresh
  }

  /// Decimal text of `value`, appended without building a `String`.
  static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    let start = out.count
    let count = decimalLength(value)
    out.append(contentsOf: repeatElement(0, count: count))
    out.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      writeDecimal(value, to: base + start, count: count)
    }
  }

  /// The entry whose key is `key`, given its ``hash(_:)`` (rules compute it once).
  private func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> Int? {
    guard !index.isEmpty else { return nil }
    let mask = index.count - 1
    var probe = hash & mask
    return index.withUnsafeBufferPointer { index in
      entries.withUnsafeBufferPointer { entries in
        storage.withUnsafeBufferPointer { storage in
          while index[probe] != 0 {
            let slot = Int(index[probe]) - 1
            let entry = entries[slot]
            if Int(entry.keyCount) == key.count,
              bytesEqual(UnsafeBufferPointer(rebasing: storage[Int(entry.keyStart)..<Int(entry.keyStart + entry.keyCount)]), key)
            {
              return slot
            }
            probe = (probe + 1) & mask
          }
          return nil
        }
      }
    }
  }

  private mutating func insertIndex(_ slot: Int, hash: Int) {
    let mask = index.count - 1
    var probe = hash & mask
    while index[probe] != 0 { probe = (probe + 1) & mask }
    index[probe] = Int32(slot + 1)
  }

  /// Room for about `bytes` of keys and values in `entries` variables, so that filling the
  /// collection does not grow its buffers step by step.
  mutating func reserve(bytes: Int, entries count: Int) {
    storage.reserveCapacity(bytes)
    entries.reserveCapacity(count)
  }

  /// Bytes and entries held (what ``reserve(bytes:entries:)`` is told next time).
  var footprint: (bytes: Int, entries: Int) { (storage.count, entries.count) }

  private mutating func rebuildIndex() {
    // CRS keeps about 150 TX variables: start at 256 slots so most transactions never rebuild.
    var capacity = 256
    while capacity < entries.count * 2 { capacity <<= 1 }
    index = [Int32](repeating: 0, count: capacity)
    for slot in entries.indices {
      let entry = entries[slot]
      let hash = storage.withUnsafeBufferPointer {
        Self.hash(UnsafeBufferPointer(rebasing: $0[Int(entry.keyStart)..<Int(entry.keyStart + entry.keyCount)]))
      }
      insertIndex(slot, hash: hash)
    }
  }

  /// FNV-1a over the bytes, mixed.
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash ^ (hash >> 29))
  }

  var count: Int { entries.count }

  func forEach(_ body: (String, [UInt8]) -> Void) {
    var collection = self
    collection.forEachEntry { key, value in body(String(decoding: key, as: UTF8.self), Array(value)) }
  }
}

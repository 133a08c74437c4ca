/// One keyed value of a collection: the key as sent, its lowercased form (keys compare
/// case-insensitively) and the value.
struct KeyedValue: Sendable {
  var key: [UInt8]
  var loweredKey: [UInt8]
  var value: [UInt8]

  init(key: [UInt8], value: [UInt8]) {
    self.key = key
    self.loweredKey = asciiLowercased(key)
    self.value = value
  }

  init(loweredKey: [UInt8], value: [UInt8]) {
    self.key = loweredKey
    self.loweredKey = loweredKey
    self.value = value
  }
}

/// A writable collection (`TX`, `IP`, ...): keys are stored lowercased, insertion order kept.
/// Entries live in one array (iteration allocates nothing); an open-addressed index of entry
/// numbers, hashed over the key's bytes, finds a key without hashing a `String` (CRS reads and
/// writes TX variables on most rules).
struct WritableCollection: Sendable {
  private(set) var entries: [KeyedValue] = []
  /// Entry number + 1 per slot (0: free); a power of two at most half full.
  private var index: [Int32] = []

  subscript(key: String) -> [UInt8]? {
    guard let slot = find(key) else { return nil }
    return entries[slot].value
  }

  /// The value stored under the lowercased key `key`, given its ``hash(_:)``.
  func value(forKey key: [UInt8], hash: Int) -> [UInt8]? {
    guard let slot = key.withUnsafeBufferPointer({ find($0, hash: hash) }) else { return nil }
    return entries[slot].value
  }

  /// The value stored under the lowercased key `key` (whose ``hash(_:)`` is `hash`), handed
  /// to `body` in place; nil when there is none.
  func withValue<R>(forKey key: UnsafeBufferPointer<UInt8>, hash: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    guard let slot = find(key, hash: hash) else { return nil }
    return entries.withUnsafeBufferPointer { $0[slot].value.withUnsafeBufferPointer(body) }
  }

  /// `set` and `add` for a constant key: its bytes and precomputed hash.
  mutating func set(keyBytes: [UInt8], hash: Int, _ value: [UInt8]) {
    let slot = keyBytes.withUnsafeBufferPointer { find($0, hash: hash) }
    if let slot {
      entries[slot].value = value
    } else {
      append(KeyedValue(loweredKey: keyBytes, value: value))
    }
  }

  /// setvar's `=+n` / `=-n`: the stored number (0 when missing or not a number) plus `added`
  /// or minus `subtracted`, left unchanged on overflow, stored as decimal text.
  mutating func add(keyBytes: [UInt8], hash: Int, _ added: Int?, subtracting subtracted: Int?) {
    let slot = keyBytes.withUnsafeBufferPointer { find($0, hash: hash) }
    let current = slot.map { secLangInteger(entries[$0].value) } ?? 0
    let (result, overflow) =
      if let added { current.addingReportingOverflow(added) } else { current.subtractingReportingOverflow(subtracted ?? 0) }
    let text = Array(String(overflow ? current : result).utf8)
    if let slot {
      entries[slot].value = text
    } else {
      append(KeyedValue(loweredKey: keyBytes, value: text))
    }
  }

  private mutating func append(_ entry: KeyedValue) {
    entries.append(entry)
    if entries.count * 2 > index.count {
      rebuildIndex()
    } else {
      insertIndex(entries.count - 1)
    }
  }

  mutating func set(_ key: String, _ value: [UInt8], keyBytes: [UInt8]? = nil) {
    if let slot = find(key) {
      entries[slot].value = value
    } else {
      append(KeyedValue(loweredKey: keyBytes ?? Array(key.utf8), value: value))
    }
  }

  mutating func remove(_ key: String) {
    guard let slot = find(key) else { return }
    entries.remove(at: slot)
    rebuildIndex()
  }

  /// The entry whose key has the bytes of `key`, or nil.
  private func find(_ key: String) -> Int? {
    guard !index.isEmpty else { return nil }
    if let found = key.utf8.withContiguousStorageIfAvailable({ find($0) }) { return found }
    return Array(key.utf8).withUnsafeBufferPointer { find($0) }
  }

  private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    find(key, hash: Self.hash(key))
  }

  /// The entry whose key is `key`, given its ``hash(_:)`` (rules compute it once).
  private func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> Int? {
    guard !index.isEmpty else { return nil }
    let mask = index.count - 1
    var probe = hash & mask
    return index.withUnsafeBufferPointer { index in
      entries.withUnsafeBufferPointer { entries in
        while index[probe] != 0 {
          let slot = Int(index[probe]) - 1
          if entries[slot].loweredKey.withUnsafeBufferPointer({ $0.elementsEqual(key) }) { return slot }
          probe = (probe + 1) & mask
        }
        return nil
      }
    }
  }

  private mutating func insertIndex(_ slot: Int) {
    let mask = index.count - 1
    var probe = entries[slot].loweredKey.withUnsafeBufferPointer { Self.hash($0) } & mask
    while index[probe] != 0 { probe = (probe + 1) & mask }
    index[probe] = Int32(slot + 1)
  }

  private mutating func rebuildIndex() {
    var capacity = 16
    while capacity < entries.count * 2 { capacity <<= 1 }
    index = [Int32](repeating: 0, count: capacity)
    for slot in entries.indices { insertIndex(slot) }
  }

  /// FNV-1a over the bytes, mixed.
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash ^ (hash >> 29))
  }

  var count: Int { entries.count }

  func forEach(_ body: (String, [UInt8]) -> Void) {
    for e in entries { body(String(decoding: e.loweredKey, as: UTF8.self), e.value) }
  }
}

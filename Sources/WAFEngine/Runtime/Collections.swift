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
/// Entries live in one array (iteration allocates nothing); a dictionary maps keys to slots.
struct WritableCollection: Sendable {
  private(set) var entries: [KeyedValue] = []
  private var slots: [String: Int] = [:]

  subscript(key: String) -> [UInt8]? {
    guard let slot = slots[key] else { return nil }
    return entries[slot].value
  }

  mutating func set(_ key: String, _ value: [UInt8], keyBytes: [UInt8]? = nil) {
    if let slot = slots[key] {
      entries[slot].value = value
    } else {
      slots[key] = entries.count
      entries.append(KeyedValue(loweredKey: keyBytes ?? Array(key.utf8), value: value))
    }
  }

  mutating func remove(_ key: String) {
    guard let slot = slots.removeValue(forKey: key) else { return }
    entries.remove(at: slot)
    for i in slot..<entries.count {
      slots[String(decoding: entries[i].loweredKey, as: UTF8.self)] = i
    }
  }

  var count: Int { entries.count }

  func forEach(_ body: (String, [UInt8]) -> Void) {
    for e in entries { body(String(decoding: e.loweredKey, as: UTF8.self), e.value) }
  }
}

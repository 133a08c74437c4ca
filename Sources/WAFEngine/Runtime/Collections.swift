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
}

/// A writable collection (`TX`, `IP`, ...): keys are stored lowercased, insertion order kept.
struct WritableCollection: Sendable {
  private(set) var keys: [String] = []
  private var values: [String: [UInt8]] = [:]

  subscript(key: String) -> [UInt8]? {
    values[key]
  }

  mutating func set(_ key: String, _ value: [UInt8]) {
    if values.updateValue(value, forKey: key) == nil { keys.append(key) }
  }

  mutating func remove(_ key: String) {
    if values.removeValue(forKey: key) != nil { keys.removeAll { $0 == key } }
  }

  var count: Int { values.count }

  func forEach(_ body: (String, [UInt8]) -> Void) {
    for key in keys { if let v = values[key] { body(key, v) } }
  }
}

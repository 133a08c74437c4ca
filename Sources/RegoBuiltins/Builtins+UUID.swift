internal import PolicyCore

// The `uuid` family. OPA reference: topdown/uuid.go and internal/uuid (google/uuid's parser).

extension BuiltinRegistry {
  /// Adds the uuid family. Keep entries sorted.
  mutating func registerUUID() {
    /// `uuid.parse(text)`: the version, variant and (for versions 1 and 2) the decoded time,
    /// node, clock sequence, and DCE domain and id of a UUID; undefined when it is not one.
    ///
    /// Accepts `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the same in braces or after `urn:uuid:`,
    /// and 32 hex digits without dashes.
    add("uuid.parse", arity: 1, category: "uuid") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      guard let bytes = parseUUID(text) else { return .undefined }
      return .object(describeUUID(bytes))
    }
    /// `uuid.rfc4122(key)`: a random version 4 UUID, the same for equal keys within one
    /// evaluation (OPA caches it per query).
    ///
    /// The per-evaluation memo lives in a process-wide table keyed by the context's identity
    /// and checked through a weak reference, so a new context never sees an old one's values.
    add("uuid.rfc4122", arity: 1, category: "uuid") { arguments, context throws(BuiltinError) in
      .string(UUIDMemo.shared.value(for: arguments[0], in: context))
    }
  }
}

/// google/uuid's `Parse`; nil when the text is not a UUID.
private func parseUUID(_ text: String) -> [UInt8]? {
  var bytes = Array(text.utf8)
  switch bytes.count {
  case 36:
    break
  case 45:
    guard String(decoding: bytes[0..<9], as: UTF8.self).lowercased() == "urn:uuid:" else { return nil }
    bytes.removeFirst(9)
  case 38:
    // google/uuid drops the first character without checking that it is a brace.
    bytes.removeFirst()
  case 32:
    var result: [UInt8] = []
    for index in 0..<16 {
      guard let byte = hexByte(bytes[index * 2], bytes[index * 2 + 1]) else { return nil }
      result.append(byte)
    }
    return result
  default:
    return nil
  }
  for dash in [8, 13, 18, 23] where bytes[dash] != UInt8(ascii: "-") { return nil }
  var result: [UInt8] = []
  for position in [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34] {
    guard let byte = hexByte(bytes[position], bytes[position + 1]) else { return nil }
    result.append(byte)
  }
  return result
}

private func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8? {
  func value(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
  guard let high = value(high), let low = value(low) else { return nil }
  return high << 4 | low
}

/// The object `uuid.parse` returns.
private func describeUUID(_ uuid: [UInt8]) -> ValueObject {
  let version = Int(uuid[6] >> 4)
  let variant: String
  switch uuid[8] {
  case let byte where byte & 0xc0 == 0x80: variant = "RFC4122"
  case let byte where byte & 0xe0 == 0xc0: variant = "Microsoft"
  case let byte where byte & 0xe0 == 0xe0: variant = "Future"
  default: variant = "Reserved"
  }
  var members: [(String, Value)] = [("version", .int(version)), ("variant", .string(variant))]
  if version == 1 || version == 2 {
    let low = UInt64(uuid[0]) << 24 | UInt64(uuid[1]) << 16 | UInt64(uuid[2]) << 8 | UInt64(uuid[3])
    let middle = UInt64(uuid[4]) << 8 | UInt64(uuid[5])
    let high = (UInt64(uuid[6]) << 8 | UInt64(uuid[7])) & 0x0fff
    // 100-nanosecond intervals since 1582-10-15, converted to Unix nanoseconds.
    let intervals = Int64(bitPattern: low | middle << 32 | high << 48) - 122_192_928_000_000_000
    // Go's int64 arithmetic wraps for timestamps past 2262; so does this.
    let nanoseconds = (intervals / 10_000_000) &* 1_000_000_000 &+ (intervals % 10_000_000) &* 100
    let node = Array(uuid[10..<16])
    let hex = node.map { byte -> String in
      let text = String(byte, radix: 16)
      return byte < 16 ? "0" + text : text
    }
    members.append(("time", .int(Int(nanoseconds))))
    members.append(("nodeid", .string(hex.joined(separator: "-"))))
    members.append(("macvariables", .string(macVariables(node[0]))))
    members.append(("clocksequence", .int(Int(UInt16(uuid[8]) << 8 | UInt16(uuid[9])) & 0x3fff)))
    if version == 2 {
      members.append(("id", .int(Int(low))))
      let domains = ["Person", "Group", "Org"]
      members.append(("domain", .string(uuid[9] < 3 ? domains[Int(uuid[9])] : "Domain\(uuid[9])")))
    }
  }
  return ValueObject(members)
}

/// The multicast and locally-administered bits of a MAC address's first byte.
private func macVariables(_ byte: UInt8) -> String {
  if byte & 0b11 == 0b11 { return "local:multicast" }
  if byte & 0b01 == 0b01 { return "global:multicast" }
  if byte & 0b10 == 0b10 { return "local:unicast" }
  return "global:unicast"
}

/// Random version 4 UUIDs memoised per evaluation context and key.
private final class UUIDMemo: @unchecked Sendable {
  // @unchecked: `entries` is only touched under `lock`.
  static let shared = UUIDMemo()

  private struct Entry {
    weak var context: BuiltinContext?
    var values: [Value: String]
  }

  private let lock = Lock()
  private var entries: [ObjectIdentifier: Entry] = [:]

  func value(for key: Value, in context: BuiltinContext) -> String {
    let identifier = ObjectIdentifier(context)
    return lock.withLock {
      if let entry = entries[identifier], entry.context === context, let existing = entry.values[key] {
        return existing
      }
      var entry = entries[identifier]
      if entry?.context !== context {
        entry = Entry(context: context, values: [:])
        if entries.count >= 256 {
          // Drop the memos of finished evaluations.
          entries = entries.filter { $0.value.context != nil }
        }
      }
      let generated = randomUUID()
      entry?.values[key] = generated
      entries[identifier] = entry
      return generated
    }
  }

  private func randomUUID() -> String {
    var generator = SystemRandomNumberGenerator()
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    bytes[6] = bytes[6] & 0x0f | 0x40
    bytes[8] = bytes[8] & 0x3f | 0x80
    let hex = bytes.map { byte -> String in
      let text = String(byte, radix: 16)
      return byte < 16 ? "0" + text : text
    }
    return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-"
      + hex[8..<10].joined() + "-" + hex[10..<16].joined()
  }
}

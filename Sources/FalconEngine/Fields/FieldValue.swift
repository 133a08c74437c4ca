public import FalconEvents

/// A value a field extracted from an event, typed the way libsinsp's filter checks compare it.
///
/// `none` is libsinsp's failed extraction: every comparison with it is false (so `not` of the
/// comparison is true), only `exists` can tell, and outputs print `<NA>`.
public enum FieldValue: Sendable, Hashable {
  /// The event does not carry the field.
  case none
  /// A signed number (`PT_INT*`, `PT_ERRNO`, `PT_PID`, `PT_FD`).
  case int(Int64)
  /// An unsigned number (`PT_UINT*`, `PT_PORT`, times).
  case uint(UInt64)
  /// `PT_BOOL`.
  case bool(Bool)
  /// Text (`PT_CHARBUF`, paths).
  case string(String)
  /// An IPv4 or IPv6 address (`PT_IPADDR`, and `PT_IPNET` fields, which extract the address
  /// that a network constant is matched against).
  case ip(IPAddress)
  /// Raw bytes (`PT_BYTEBUF`).
  case bytes([UInt8])
  /// Several values (`EPF_IS_LIST` fields, list transformers).
  case list([String])
  /// Several typed values, each compared as itself (`fd.ip`, `fd.port`, `fd.net`: both ends
  /// of a connection, where a comparison holds when one end's does), without the text round
  /// trip a `list` would need.
  case values([FieldValue])

  /// Whether the field was extracted.
  public var isPresent: Bool {
    if case .none = self { return false }
    return true
  }

  /// The value as Falco prints it in an output: numbers in decimal, booleans `true`/`false`,
  /// addresses in their usual notation, lists comma-separated, missing values `<NA>`.
  public var rendered: String {
    switch self {
    case .none: return "<NA>"
    case .int(let value): return String(value)
    case .uint(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .string(let value): return value
    case .ip(let address): return address.description
    case .bytes(let bytes): return FieldValue.printable(bytes)
    case .list(let values): return values.joined(separator: ",")
    case .values(let values): return values.map(\.rendered).joined(separator: ",")
    }
  }

  /// The value as a comparable text (what string operators see).
  var text: String? {
    switch self {
    case .none: return nil
    case .string(let value): return value
    case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
    default: return rendered
    }
  }

  /// Bytes shown with non-printable characters as `.`, as libsinsp prints buffers.
  static func printable(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.map { ($0 >= 0x20 && $0 < 0x7f) ? $0 : 0x2e }, as: UTF8.self)
  }
}

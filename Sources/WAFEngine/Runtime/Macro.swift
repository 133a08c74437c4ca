// Macro expansion: `%{tx.anomaly_score}`, `%{REQUEST_HEADERS.host}`, `%{MATCHED_VAR}`, `%{rule.id}`.
// A string is compiled once into literal and reference parts; expansion at run time concatenates.

/// A reference inside `%{...}`: a variable and, for collections, a key (`tx.foo`, `TX:foo`).
struct MacroReference: Sendable, Hashable {
  let variable: VariableName
  /// Lowercased key for collections; nil for single values and for `%{RULE.x}` with no key.
  let key: String?
  /// `key`'s bytes and their `WritableCollection.hash`, for TX lookups that hash nothing.
  let keyBytes: [UInt8]
  let keyHash: Int

  init(variable: VariableName, key: String?) {
    self.variable = variable
    self.key = key
    keyBytes = Array((key ?? "").utf8)
    keyHash = keyBytes.withUnsafeBufferPointer { WritableCollection.hash($0) }
  }
}

/// A string with `%{...}` references, compiled.
struct Macro: Sendable, Hashable {
  enum Part: Sendable, Hashable {
    case literal([UInt8])
    case reference(MacroReference)
  }

  let parts: [Part]
  /// The text as written, for logs and errors.
  let source: String

  var isConstant: Bool {
    parts.allSatisfy { if case .literal = $0 { return true } else { return false } }
  }

  /// The constant value when there are no references.
  var constantValue: [UInt8]? {
    if parts.isEmpty { return [] }
    if parts.count == 1, case .literal(let bytes) = parts[0] { return bytes }
    return isConstant ? parts.flatMap { if case .literal(let b) = $0 { return b } else { return [] } } : nil
  }

  init(_ text: String, at location: ConfigLocation?) throws(WAFConfigError) {
    source = text
    var parts: [Part] = []
    var literal: [UInt8] = []
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "%"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") {
        guard let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
          literal.append(contentsOf: bytes[i...])
          break
        }
        let inner = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
        if let reference = Macro.reference(inner) {
          if !literal.isEmpty {
            parts.append(.literal(literal))
            literal = []
          }
          parts.append(.reference(reference))
        } else {
          throw WAFConfigError("unknown variable in macro %{\(inner)}", at: location)
        }
        i = close + 1
        continue
      }
      literal.append(bytes[i])
      i += 1
    }
    if !literal.isEmpty { parts.append(.literal(literal)) }
    self.parts = parts
  }

  static func reference(_ inner: String) -> MacroReference? {
    let separator = inner.firstIndex(where: { $0 == "." || $0 == ":" })
    let name = separator.map { String(inner[..<$0]) } ?? inner
    let key = separator.map { String(inner[inner.index(after: $0)...]) }
    guard let variable = VariableName(name: name) else { return nil }
    return MacroReference(variable: variable, key: key.map(asciiLowercased))
  }
}

public import FalconEvents
internal import PolicyCore

/// A rule's output format compiled against the field table: literal text and `%field`
/// references (`%proc.name`, `%proc.aname[2]`, `%evt.arg.flags`, `%tolower(proc.name)`).
///
/// Missing values print `<NA>`, as Falco prints them.
public struct OutputFormat: Sendable {
  enum Part: Sendable {
    case text(String)
    case field(name: String, kind: FieldValueKind, read: FieldExtractor)
  }

  let parts: [Part]

  /// The field references in order of appearance, as written (`proc.aname[2]`).
  public var fieldNames: [String] {
    var seen = Set<String>()
    var names: [String] = []
    for case .field(let name, _, _) in parts where seen.insert(name).inserted { names.append(name) }
    return names
  }

  /// Compiles `format`; unknown fields stay as literal text.
  public init(_ format: String, fields: FalconFieldTable) {
    var parts: [Part] = []
    var literal = ""
    let bytes = Array(format.utf8)
    var index = 0
    func isNameByte(_ byte: UInt8) -> Bool {
      (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5f || byte == 0x2e
    }
    while index < bytes.count {
      guard bytes[index] == 0x25, index + 1 < bytes.count else {
        let start = index
        index += 1
        while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        literal += String(decoding: bytes[start..<index], as: UTF8.self)
        continue
      }
      // Read `name`, `name[arg]`, or `transformer(name)`.
      var end = index + 1
      while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
      var name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
      var transformer: String?
      if end < bytes.count, bytes[end] == 0x28, ["tolower", "toupper", "b64", "basename", "len"].contains(name) {
        var inner = end + 1
        while inner < bytes.count, isNameByte(bytes[inner]) || bytes[inner] == 0x5b || bytes[inner] == 0x5d { inner += 1 }
        if inner < bytes.count, bytes[inner] == 0x29 {
          transformer = name
          name = String(decoding: bytes[(end + 1)..<inner], as: UTF8.self)
          end = inner + 1
        }
      }
      var argument: String?
      if transformer == nil, end < bytes.count, bytes[end] == 0x5b, let close = bytes[end...].firstIndex(of: 0x5d) {
        argument = String(decoding: bytes[(end + 1)..<close], as: UTF8.self)
        end = close + 1
      }
      while transformer == nil, argument == nil, name.hasSuffix(".") {
        name.removeLast()
        end -= 1
      }
      var written = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
      if let transformer { written = "\(transformer)(\(name))" }
      if let (definition, resolved) = fields.resolve(name: name, argument: argument), let read = definition.extractor(argument: resolved) {
        if !literal.isEmpty {
          parts.append(.text(literal))
          literal = ""
        }
        var kind = FieldValueKind(typeName: definition.type)
        var reader = read
        if let transformer {
          let compiler = FilterCompiler(fields: fields)
          let node = ConditionExpression(.transformer(name: transformer, arguments: [.field(name, argument)], index: nil))
          if let operand = try? compiler.operand(node) {
            let read = operand.read
            let slots = compiler.slots
            reader = { event in read(EvaluationContext(slotCount: slots.count), event) }
            kind = operand.kind
          }
        }
        parts.append(.field(name: written, kind: kind, read: reader))
      } else {
        literal += "%" + written
      }
      index = end
    }
    if !literal.isEmpty { parts.append(.text(literal)) }
    self.parts = parts
  }

  /// The output text for `event`.
  public func render(_ event: Event) -> String {
    var result = ""
    for part in parts {
      switch part {
      case .text(let text): result += text
      case .field(_, _, let read): result += read(event).rendered
      }
    }
    return result
  }

  /// Each referenced field with its value, typed for JSON: numbers as numbers, booleans as
  /// booleans, missing values as null (Falco's `output_fields`).
  public func fieldValues(_ event: Event) -> [(name: String, value: FieldValue)] {
    var seen = Set<String>()
    var result: [(name: String, value: FieldValue)] = []
    for case .field(let name, _, let read) in parts where seen.insert(name).inserted {
      result.append((name, read(event)))
    }
    return result
  }
}

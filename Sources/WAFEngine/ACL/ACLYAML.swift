public import PolicyCore
internal import Yams

extension Diagnostic.Code {
  /// A web ACL file is malformed: YAML syntax, an unknown key, a missing key or a bad value.
  public static let wafACLError = Self("waf_acl_error")
}

/// A YAML node of a web ACL file with the byte offset where it starts, so every load error can
/// point at `file:line:col`.
///
/// Only this file talks to Yams (the same split as FalconEngine's rule reader). Scalars keep their
/// text; the loader decides per key whether it wants a number, a boolean or a string.
struct ACLNode: Sendable {
  enum Kind: Sendable {
    case null
    case scalar(String)
    case sequence([ACLNode])
    case mapping([(key: ACLNode, value: ACLNode)])
  }

  var kind: Kind
  /// Byte offset of the node's first character in its file.
  var offset: Int

  var scalar: String? { if case .scalar(let text) = kind { return text } else { return nil } }
  var isNull: Bool { if case .null = kind { return true } else { return false } }

  /// A short name of the node's kind for error messages.
  var kindName: String {
    switch kind {
    case .null: return "null"
    case .scalar: return "a scalar"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
  }
}

/// Parses the YAML (or JSON) text of a web ACL file into `ACLNode`s.
enum ACLYAMLReader {
  /// How deep a web ACL may nest (statements nest through `and`/`or`/`not`).
  static let maxNesting = 64

  static func document(of file: SourceFile) throws(Diagnostic) -> ACLNode {
    try checkNesting(file)
    let text = String(decoding: file.bytes, as: UTF8.self)
    let lineStarts = lineStartOffsets(file.bytes)
    var budget = 8 * file.bytes.count + 10_000
    do {
      let parser = try Parser(yaml: text)
      guard let root = try parser.nextRoot() else {
        throw Diagnostic(.wafACLError, "the web ACL file is empty", span: SourceSpan(file: file, start: 0))
      }
      let node = try convert(root, file: file, lineStarts: lineStarts, budget: &budget)
      if let extra = try parser.nextRoot() {
        let start = extra.mark.map { offset(line: $0.line, column: $0.column, in: file.bytes, lineStarts: lineStarts) } ?? 0
        throw Diagnostic(.wafACLError, "a web ACL file holds one YAML document", span: SourceSpan(file: file, start: start))
      }
      return node
    } catch let error as Diagnostic {
      throw error
    } catch let error as YamlError {
      throw diagnostic(for: error, file: file, lineStarts: lineStarts)
    } catch {
      throw Diagnostic(.wafACLError, "\(error)", span: SourceSpan(file: file, start: 0))
    }
  }

  /// Refuses text nested deeper than `maxNesting` before Yams recurses into it.
  static func checkNesting(_ file: SourceFile) throws(Diagnostic) {
    var flow = 0
    var index = 0
    let bytes = file.bytes
    while index < bytes.count {
      let lineStart = index
      var indent = 0
      while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
        indent += 1
        index += 1
      }
      var deepest = flow
      while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
        switch bytes[index] {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
          flow += 1
          deepest = max(deepest, flow)
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
          flow = max(flow - 1, 0)
        default: break
        }
        index += 1
      }
      // Two spaces of indentation per level is the usual style; be generous.
      if indent / 2 + deepest > maxNesting * 2 {
        throw Diagnostic(
          .limitNestingDepth, "web ACL nesting deeper than the limit of \(maxNesting) levels",
          span: SourceSpan(file: file, start: lineStart))
      }
      index += 1
    }
  }

  static func lineStartOffsets(_ bytes: [UInt8]) -> [Int] {
    var starts = [0]
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
    return starts
  }

  /// The byte offset of a libyaml mark (1-based line, column in Unicode scalars).
  static func offset(line: Int, column: Int, in bytes: [UInt8], lineStarts: [Int]) -> Int {
    guard line >= 1, line <= lineStarts.count else { return bytes.count }
    var offset = lineStarts[line - 1]
    var scalars = 1
    while scalars < column, offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
      offset += 1
      while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
      scalars += 1
    }
    return offset
  }

  private static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

  private static func convert(_ node: Node, file: SourceFile, lineStarts: [Int], budget: inout Int) throws(Diagnostic)
    -> ACLNode
  {
    budget -= 1
    let start = node.mark.map { offset(line: $0.line, column: $0.column, in: file.bytes, lineStarts: lineStarts) } ?? 0
    if budget < 0 {
      throw Diagnostic(.limitInputSize, "YAML aliases expand to too many nodes", span: SourceSpan(file: file, start: start))
    }
    switch node {
    case .scalar(let scalar):
      if scalar.style == .plain, nullSpellings.contains(scalar.string) { return ACLNode(kind: .null, offset: start) }
      return ACLNode(kind: .scalar(scalar.string), offset: start)
    case .sequence(let sequence):
      var items: [ACLNode] = []
      for item in sequence { items.append(try convert(item, file: file, lineStarts: lineStarts, budget: &budget)) }
      return ACLNode(kind: .sequence(items), offset: start)
    case .mapping(let mapping):
      var pairs: [(key: ACLNode, value: ACLNode)] = []
      for (key, value) in mapping {
        pairs.append(
          (
            try convert(key, file: file, lineStarts: lineStarts, budget: &budget),
            try convert(value, file: file, lineStarts: lineStarts, budget: &budget)
          ))
      }
      return ACLNode(kind: .mapping(pairs), offset: start)
    case .alias:
      return ACLNode(kind: .null, offset: start)
    }
  }

  private static func diagnostic(for error: YamlError, file: SourceFile, lineStarts: [Int]) -> Diagnostic {
    var mark: Mark?
    var message = "\(error)"
    switch error {
    case .scanner(let context, let problem, let position, _), .parser(let context, let problem, let position, _),
      .composer(let context, let problem, let position, _):
      mark = position
      message = problem + (context.map { " \($0.text)" } ?? "")
    case .duplicatedKeysInMapping(let duplicates, let context):
      mark = context.mark
      message = "duplicated mapping key" + (duplicates.count == 1 ? "" : "s") + ": " + duplicates.joined(separator: ", ")
    case .reader(let problem, let byteOffset, _, _):
      message = problem
      if let byteOffset { return Diagnostic(.wafACLError, message, span: SourceSpan(file: file, start: byteOffset)) }
    default:
      break
    }
    let start = mark.map { offset(line: $0.line, column: $0.column, in: file.bytes, lineStarts: lineStarts) } ?? 0
    return Diagnostic(.wafACLError, "YAML: " + message, span: SourceSpan(file: file, start: start))
  }
}

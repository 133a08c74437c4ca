internal import Foundation
internal import PolicyCore
internal import Yams

/// A YAML node of a rules file, as the rule reader sees it: Sendable, with the byte offset where
/// it starts so every diagnostic can point at `file:line:col`.
///
/// Only this file talks to Yams. Scalars keep their text whatever their resolved type, because
/// Falco's reader (yaml-cpp) decodes each key by the type it expects (`enabled: yes` is a bool,
/// `required_engine_version: 26` a number or a string), not by the YAML tag.
struct YAMLNode: Sendable {
  enum Kind: Sendable {
    /// `~`, `null`, `Null`, `NULL` or nothing (plain only, as in yaml-cpp).
    case null
    case scalar(String)
    case sequence([YAMLNode])
    case mapping([(key: YAMLNode, value: YAMLNode)])
  }

  var kind: Kind
  /// Byte offset of the node's first character in its file.
  var offset: Int

  var isNull: Bool { if case .null = kind { return true } else { return false } }
  var isSequence: Bool { if case .sequence = kind { return true } else { return false } }
  var isMapping: Bool { if case .mapping = kind { return true } else { return false } }

  /// The text of a scalar (nil for null, sequences and mappings).
  var scalar: String? { if case .scalar(let text) = kind { return text } else { return nil } }

  /// The elements of a sequence (empty otherwise).
  var elements: [YAMLNode] { if case .sequence(let items) = kind { return items } else { return [] } }

  /// The entries of a mapping (empty otherwise).
  var entries: [(key: YAMLNode, value: YAMLNode)] { if case .mapping(let pairs) = kind { return pairs } else { return [] } }

  /// The value for `key` in a mapping: nil when the key is absent (yaml-cpp's "not defined").
  subscript(key: String) -> YAMLNode? {
    guard case .mapping(let pairs) = kind else { return nil }
    return pairs.first { $0.key.scalar == key }?.value
  }

  /// The keys of a mapping that are scalars, in order.
  var keys: [(name: String, node: YAMLNode)] {
    entries.compactMap { entry in entry.key.scalar.map { ($0, entry.key) } }
  }
}

/// Reads the YAML documents of a rules file.
enum YAMLReader {
  /// How deep YAML may nest before it is refused. Yams composes documents recursively, and a few
  /// hundred levels already fill a 512 KB thread stack; Falco rules files nest fewer than ten.
  static let maxNesting = 200

  /// Parses every document of `file`.
  /// - Throws: `falcon_yaml_syntax` with the position libyaml reports, or `limit_nesting_depth`
  ///   when the text nests deeper than `maxNesting` (checked before parsing).
  static func documents(of file: SourceFile, limits: Limits) throws(Diagnostic) -> [YAMLNode] {
    let nesting = min(limits.maxNestingDepth, maxNesting)
    try checkNesting(file, limit: nesting)
    let text = String(decoding: file.bytes, as: UTF8.self)
    let lineStarts = lineStartOffsets(file.bytes)
    var documents: [YAMLNode] = []
    // Aliases are shared in Yams's tree but copied by the conversion: bound the copy so an alias
    // bomb fails instead of exhausting memory.
    var budget = 8 * file.bytes.count + 10_000
    do {
      let parser = try Parser(yaml: text)
      while let root = try parser.nextRoot() {
        documents.append(try convert(root, file: file, lineStarts: lineStarts, budget: &budget))
      }
    } catch let error as Diagnostic {
      throw error
    } catch let error as YamlError {
      throw diagnostic(for: error, file: file, lineStarts: lineStarts)
    } catch {
      throw Diagnostic(.falconYAMLSyntax, "\(error)", span: SourceSpan(file: file, start: 0))
    }
    return documents
  }

  /// A conservative estimate of the nesting of a YAML text, without parsing it: per line, the
  /// indentation plus leading `- `/`? ` indicators plus the open `[`/`{` count (brackets inside
  /// strings count too, so the estimate never falls short of the real depth).
  static func checkNesting(_ file: SourceFile, limit: Int) throws(Diagnostic) {
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
      var indicators = 0
      while index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "?"),
        bytes[index + 1] == UInt8(ascii: " ")
      {
        indicators += 1
        index += 2
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
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
      if indent + indicators + deepest > limit {
        throw Diagnostic(
          .limitNestingDepth, "YAML nesting deeper than the limit of \(limit) levels",
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

  private static func convert(_ node: Node, file: SourceFile, lineStarts: [Int], budget: inout Int) throws(Diagnostic) -> YAMLNode {
    budget -= 1
    let start = node.mark.map { offset(line: $0.line, column: $0.column, in: file.bytes, lineStarts: lineStarts) } ?? 0
    if budget < 0 {
      throw Diagnostic(.limitInputSize, "YAML aliases expand to too many nodes", span: SourceSpan(file: file, start: start))
    }
    switch node {
    case .scalar(let scalar):
      if scalar.style == .plain, nullSpellings.contains(scalar.string) { return YAMLNode(kind: .null, offset: start) }
      return YAMLNode(kind: .scalar(scalar.string), offset: start)
    case .sequence(let sequence):
      var items: [YAMLNode] = []
      for item in sequence { items.append(try convert(item, file: file, lineStarts: lineStarts, budget: &budget)) }
      return YAMLNode(kind: .sequence(items), offset: start)
    case .mapping(let mapping):
      var pairs: [(key: YAMLNode, value: YAMLNode)] = []
      for (key, value) in mapping {
        pairs.append((try convert(key, file: file, lineStarts: lineStarts, budget: &budget),
                      try convert(value, file: file, lineStarts: lineStarts, budget: &budget)))
      }
      return YAMLNode(kind: .mapping(pairs), offset: start)
    case .alias:
      return YAMLNode(kind: .null, offset: start)
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
      if let byteOffset { return Diagnostic(.falconYAMLSyntax, message, span: SourceSpan(file: file, start: byteOffset)) }
    default:
      break
    }
    let start = mark.map { offset(line: $0.line, column: $0.column, in: file.bytes, lineStarts: lineStarts) } ?? 0
    return Diagnostic(.falconYAMLSyntax, message, span: SourceSpan(file: file, start: start))
  }
}

internal import FalconEngine
internal import PolicyCore

/// libsinsp's filter parser tests (`shared/conformance/falcon/filter_parser_cases.json`): each
/// case is a condition the parser must accept or reject.
///
/// Cases marked `whitespace_variants` are also checked with their blanks changed, as libsinsp's
/// tests "fuzz" the whitespace of every accepted filter (libs PR #2183): each space replaced by a
/// tab, a line feed, a carriage return + line feed, two spaces, or a line feed and a tab, and the
/// whole text with a leading and a trailing blank. A case passes when the text and every variant
/// get the expected answer. Case ids are `<test>#<n>`, the n-th case of that libsinsp test in the
/// file, so the ratchet names cases without copying their inputs into the repository.
public struct FalcoParserSuite: ConformanceSuite {
  public init() {}
  public var name: String { "falco-parser" }
  public var summary: String { "libsinsp filter parser accept/reject cases (falcon/filter_parser_cases.json)" }
  public var subpath: String { "falcon" }
  public var aliases: [String] { ["falcon-parser"] }

  /// The blanks each space of an accepted case is replaced with.
  static let blankReplacements = ["\t", "\n", "\r\n", "  ", "\n\t"]

  public func run(directory: String) throws -> [CaseResult] {
    let source = try SourceFile.read(path: "\(directory)/filter_parser_cases.json", limits: Limits(maxInputBytes: 16 << 20))
    guard case .array(let cases) = try JSON.parse(source) else { return [] }
    var results: [CaseResult] = []
    var seen: [String: Int] = [:]
    for testCase in cases {
      let test = testCase["test"].stringValue ?? "?"
      let count = (seen[test] ?? 0) + 1
      seen[test] = count
      results.append(check(testCase, id: "\(test)#\(count)"))
    }
    return results
  }

  /// The texts a case is checked with: the input, then its whitespace variants when asked for.
  static func variants(of input: String, whitespace: Bool) -> [String] {
    guard whitespace else { return [input] }
    var texts = [input]
    for blank in blankReplacements {
      texts.append(input.split(separator: " ", omittingEmptySubsequences: false).joined(separator: blank))
    }
    texts.append(" " + input)
    texts.append(input + "\n")
    return texts
  }

  func check(_ testCase: Value, id: String) -> CaseResult {
    let input = testCase["input"].stringValue ?? ""
    let accept = testCase["kind"].stringValue == "accept"
    for text in Self.variants(of: input, whitespace: testCase["whitespace_variants"] == .bool(true)) {
      var parser = ConditionParser(text)
      do {
        let ast = try parser.parse()
        if !accept {
          return CaseResult(id: id, passed: false, detail: "accepted \(Self.quoted(text)) as \(ast.canonicalString)")
        }
      } catch {
        if accept {
          return CaseResult(id: id, passed: false, detail: "rejected \(Self.quoted(text)): \(error)")
        }
      }
    }
    return CaseResult(id: id, passed: true)
  }

  /// A one-line, JSON-style quoted form for failure details (blanks and line breaks visible).
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{8}": out += "\\b"
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default:
        if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
      }
    }
    return out + "\""
  }
}

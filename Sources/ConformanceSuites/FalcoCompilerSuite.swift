internal import FalconEngine
internal import PolicyCore

/// The `compile` part of libsinsp's filter compiler tests
/// (`shared/conformance/falcon/filter_compiler_cases.json`): which conditions compile against
/// the field table (operators against field types, constants readable as the type), and, for the
/// `run_mock` cases, the boolean result over libsinsp's mock fields.
///
/// Fields are libsinsp's table from `falcon/fields` plus the test's mock fields: `c.true`,
/// `c.false`, `c.singlequote`, `c.doublequote` (strings) and `c.buffer` (a byte buffer). Mock
/// checks ignore the operator: `c.true` always holds, `c.false` never, and the quote fields hold
/// when the constant is `hello 'quoted'` / `hello "quoted"`. The `eval` part is run against
/// rebuilt test events (FalcoCompilerSuite+Eval.swift). Case ids are `<kind>#<n>`.
public struct FalcoCompilerSuite: ConformanceSuite {
  public init() {}
  public var name: String { "falco-compiler" }
  public var summary: String { "libsinsp filter compiler compile cases (falcon/filter_compiler_cases.json)" }
  public var subpath: String { "falcon" }
  public var aliases: [String] { ["falcon-compiler"] }

  static let mockFields = [
    FieldDescriptor(name: "c.true", type: "PT_CHARBUF"), FieldDescriptor(name: "c.false", type: "PT_CHARBUF"),
    FieldDescriptor(name: "c.singlequote", type: "PT_CHARBUF"), FieldDescriptor(name: "c.doublequote", type: "PT_CHARBUF"),
    FieldDescriptor(name: "c.buffer", type: "PT_BYTEBUF"),
  ]

  public func run(directory: String) throws -> [CaseResult] {
    let source = try SourceFile.read(path: "\(directory)/filter_compiler_cases.json", limits: Limits(maxInputBytes: 16 << 20))
    let document = try JSON.parse(source)
    let fields = try FalcoSharedFields.table(falconDirectory: directory, adding: Self.mockFields)
    var results: [CaseResult] = []
    var seen: [String: Int] = [:]
    for testCase in document["compile"].arrayValue ?? [] {
      let kind = testCase["kind"].stringValue ?? "compile"
      let count = (seen[kind] ?? 0) + 1
      seen[kind] = count
      results.append(check(testCase, id: "\(kind)#\(count)", fields: fields))
    }
    results += runEval(document["eval"].arrayValue ?? []).results
    return results
  }

  /// Parses, checks fields and types; the tree when it compiles, else the error.
  static func compile(_ filter: String, fields: any FieldTable) -> Result<ConditionExpression, any Error> {
    var parser = ConditionParser(filter)
    let tree: ConditionExpression
    do {
      tree = try parser.parse()
    } catch {
      return .failure(error)
    }
    if let failure = FilterTypeCheck(fields: fields).check(tree) { return .failure(failure) }
    return .success(tree)
  }

  func check(_ testCase: Value, id: String, fields: any FieldTable) -> CaseResult {
    let filter = testCase["filter"].stringValue ?? ""
    let compiled = Self.compile(filter, fields: fields)
    if case .bool(let expectFail) = testCase["expect_fail"] {
      switch (compiled, expectFail) {
      case (.success, false), (.failure, true): return CaseResult(id: id, passed: true)
      case (.success, true): return CaseResult(id: id, passed: false, detail: "\(filter): compiled, expected a failure")
      case (.failure(let error), false): return CaseResult(id: id, passed: false, detail: "\(filter): \(error)")
      }
    }
    guard case .bool(let expected) = testCase["expect"] else {
      return CaseResult(id: id, passed: false, detail: "case has neither expect_fail nor expect")
    }
    switch compiled {
    case .failure(let error):
      return CaseResult(id: id, passed: false, detail: "\(filter): \(error)")
    case .success(let tree):
      let actual = Self.evaluateMock(tree)
      return actual == expected
        ? CaseResult(id: id, passed: true) : CaseResult(id: id, passed: false, detail: "\(filter): evaluated to \(actual)")
    }
  }

  /// Evaluates a condition over the mock fields.
  static func evaluateMock(_ node: ConditionExpression) -> Bool {
    switch node.kind {
    case .and(let children): return children.allSatisfy(evaluateMock)
    case .or(let children): return children.contains(where: evaluateMock)
    case .not(let child): return !evaluateMock(child)
    case .unaryCheck(let left, _), .binaryCheck(let left, _, _, _):
      guard case .field(let name, _) = left.kind else { return false }
      var constant: String?
      if case .binaryCheck(_, _, _, let right) = node.kind, case .value(let value) = right.kind { constant = value }
      switch name {
      case "c.true": return true
      case "c.singlequote": return constant == "hello 'quoted'"
      case "c.doublequote": return constant == "hello \"quoted\""
      default: return false
      }
    default:
      return false
    }
  }
}

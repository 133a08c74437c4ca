internal import Foundation
public import PolicyCore
public import RegoEngine

/// The Gatekeeper library's admission cases (`shared/conformance/rego/gatekeeper`): each
/// template's v0 Rego as shipped, evaluated on exactly what Gatekeeper passes
/// (`{"review": ..., "parameters": ...}` as input, `data.inventory` where used); a case passes
/// when the set of `result` values of `data.<package>.violation[result]` equals the expected
/// violations.
public struct GatekeeperSuite: ConformanceSuite {
  public init() {}
  public var name: String { "gatekeeper" }
  public var summary: String { "Gatekeeper library admission cases, v0 policies (rego/gatekeeper)" }

  public var subpath: String { "rego/gatekeeper" }

  public func run(directory: String) throws -> [CaseResult] {
    let index = try JSON.parse(try SourceFile.read(path: "\(directory)/index.json"))
    guard case .array(let cases) = index["cases"] else { return [] }
    return cases.map { entry in
      let path = entry["path"].stringValue ?? ""
      return runCase(directory: "\(directory)/\(path)", id: path, entry: entry)
    }
  }

  func runCase(directory: String, id: String, entry: Value) -> CaseResult {
    do throws(Diagnostic) {
      let prepared = try prepare(directory: directory, entry: entry)
      let rows = try prepared.query.evaluate(input: prepared.input)
      let actual = Set(rows.compactMap { $0.bindings["result"] })
      let expected = Set(prepared.expected)
      if actual == expected { return CaseResult(id: id, passed: true) }
      return CaseResult(
        id: id, passed: false,
        detail: "want \(Value.array(expected.sorted()).json.prefix(300)), got \(Value.array(actual.sorted()).json.prefix(300))")
    } catch {
      return CaseResult(id: id, passed: false, detail: "error: \(error)")
    }
  }

  /// Every case of the suite prepared for timing, with its identifier.
  public func preparedCases(directory: String) throws -> [(id: String, prepared: PreparedCase)] {
    let index = try JSON.parse(try SourceFile.read(path: "\(directory)/index.json"))
    guard case .array(let cases) = index["cases"] else { return [] }
    var result: [(id: String, prepared: PreparedCase)] = []
    for entry in cases {
      let path = entry["path"].stringValue ?? ""
      result.append((path, try prepare(directory: "\(directory)/\(path)", entry: entry)))
    }
    return result
  }

  /// A case ready to evaluate: its prepared query, input and expected violations.
  public struct PreparedCase: Sendable {
    public var query: PreparedQuery
    public var input: Value
    public var inputText: [UInt8]
    public var expected: [Value]
  }

  public func prepare(directory: String, entry: Value) throws(Diagnostic) -> PreparedCase {
    var modules: [RegoModule] = []
    var names: [String] = []
    if case .array(let listed) = entry["modules_v0"] { names = listed.compactMap(\.stringValue) }
    if names.isEmpty { names = ["policy.rego"] }
    for name in names {
      let file = try SourceFile.read(path: "\(directory)/\(name)")
      modules.append(RegoModule(name: name, text: String(decoding: file.bytes, as: UTF8.self), version: .v0))
    }
    var data: Value = .object(ValueObject())
    if FileManager.default.fileExists(atPath: "\(directory)/data.json") {
      data = try JSON.parse(try SourceFile.read(path: "\(directory)/data.json"))
    }
    let inputFile = try SourceFile.read(path: "\(directory)/input.json")
    let input = try JSON.parse(inputFile)
    let expectedFile = try JSON.parse(try SourceFile.read(path: "\(directory)/expected.json"))
    let policy = try RegoPolicy(modules: modules, data: data)
    let query = try policy.prepare(expectedFile["query"].stringValue ?? "", name: "query.rego")
    let expected = expectedFile["violations"].arrayValue ?? []
    return PreparedCase(query: query, input: input, inputText: inputFile.bytes, expected: expected)
  }
}

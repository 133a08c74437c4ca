@testable import ConformanceSuites
import FalconEngine
import PolicyCore
import Foundation
import Testing

/// Runs every reference suite and holds it to its ratchet: a listed case that fails is a
/// regression, and a passing case that is not listed must be added (`swift run conformance
/// --update-ratchet`), so the list only grows. Skips with a visible message without ../shared.
@Suite("Conformance ratchet")
struct RatchetTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  @Test("each suite keeps every listed case passing and lists every pass", arguments: ConformanceSuites.all.map(\.name))
  func ratchet(suiteName: String) throws {
    let root = ConformanceLocations.conformanceRoot(packageRoot: Self.packageRoot)
    guard ConformanceLocations.exists(root) else {
      print("SKIPPED conformance suite \(suiteName): reference data not found at \(root)")
      return
    }
    let suite = try #require(ConformanceSuites.named(suiteName))
    let results = try suite.run(conformanceRoot: root)
    let ratchet = try Ratchet.load(
      directory: ConformanceLocations.ratchetDirectory(packageRoot: Self.packageRoot), suite: suiteName)
    let passed = results.filter(\.passed).count
    print("conformance \(suiteName): \(passed) passed, \(results.count - passed) failed, \(ratchet.passing.count) in ratchet")
    let regressions = ratchet.regressions(in: results)
    let details = Dictionary(results.map { ($0.id, $0.detail) }, uniquingKeysWith: { first, _ in first })
    #expect(regressions.isEmpty, "regressions: \(regressions.prefix(20).map { "\($0): \(details[$0] ?? "missing")" })")
    let unlisted = ratchet.unlistedPasses(in: results)
    #expect(unlisted.isEmpty, "\(unlisted.count) new passes not in the ratchet; run `swift run conformance --update-ratchet`: \(unlisted.prefix(20))")
  }
}

@Suite("The JSON documents suite's oracle notices differences")
struct JSONOracleTests {
  @Test("a value that differs from Foundation's reading is reported with its path")
  func differences() throws {
    let suite = JSONDocumentsSuite()
    #expect(suite.firstDifference(["a": [1, "x"]], ["a": [1, "x"]] as [String: Any], path: "$") == nil)
    #expect(suite.firstDifference(["a": [1, "x"]], ["a": [1, "y"]] as [String: Any], path: "$") == "$.a[1]")
    #expect(suite.firstDifference(["a": 2], ["a": 3] as [String: Any], path: "$") == "$.a")
    #expect(suite.firstDifference(true, false, path: "$") == "$")
    #expect(suite.firstDifference(.null, 0, path: "$") == "$")
    #expect(suite.check(Array(#"{"k": [1, 2.5, "s", null, true]}"#.utf8), name: "t", limits: .default) == nil)
  }
}

@Suite("The falco-parser suite checks whitespace variants and shows inputs on one line")
struct FalcoParserSuiteTests {
  @Test("accepted cases are also tried with tabs, line breaks and doubled blanks")
  func variants() {
    let texts = FalcoParserSuite.variants(of: "a and b", whitespace: true)
    #expect(texts.contains("a\tand\tb"))
    #expect(texts.contains("a\r\nand\r\nb"))
    #expect(texts.contains(" a and b"))
    #expect(FalcoParserSuite.variants(of: "a and b", whitespace: false) == ["a and b"])
  }

  @Test("failure details quote inputs with their blanks visible")
  func quoting() {
    #expect(FalcoParserSuite.quoted("a    ") == "\"a    \"")
    #expect(FalcoParserSuite.quoted("a\n\tb \"c\"") == #""a\n\tb \"c\"""#)
  }
}

@Suite("Falco's stock rules files load together")
struct FalcoStockRulesTests {
  @Test("falco_rules, incubating and sandbox load in order with the shared field table; warnings are reported")
  func stockRules() throws {
    let root = ConformanceLocations.conformanceRoot(packageRoot: RatchetTests.packageRoot)
    let falcon = "\(root)/falcon"
    guard ConformanceLocations.exists("\(falcon)/rules") else {
      print("SKIPPED Falco stock rules: reference data not found at \(falcon)/rules")
      return
    }
    let names = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"]
    let files = try names.map { try SourceFile.read(path: "\(falcon)/rules/\($0)") }
    let options = RuleLoaderOptions(fields: try FalcoSharedFields.table(falconDirectory: falcon))
    let result = RuleLoader.load(files, options: options)
    #expect(result.errors.isEmpty, "\(result.errors.prefix(5).map(\.description))")
    let ruleset = try #require(result.ruleset)
    // 93 rules; the files define macros 352 times and lists 163 times, and redefine some across
    // files (as a later file may), which leaves 315 macros and 118 lists.
    #expect(ruleset.rules.count == 93)
    #expect(ruleset.macros.count == 315)
    #expect(ruleset.lists.count == 118)
    #expect(ruleset.rules.allSatisfy { !$0.compiledCondition.isEmpty })
    var byCode: [String: Int] = [:]
    for warning in result.warnings { byCode[warning.code, default: 0] += 1 }
    print("Falco stock rules: \(ruleset.rules.count) rules, \(ruleset.macros.count) macros, \(ruleset.lists.count) lists; \(result.warnings.count) warnings: \(byCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    for warning in result.warnings.prefix(40) { print("  \(warning)") }
  }
}

@Suite("The falco-compiler suite's mock fields")
struct FalcoCompilerSuiteTests {
  @Test("mock checks ignore the operator; quote fields compare their exact constant")
  func mockEvaluation() throws {
    func run(_ text: String) throws -> Bool {
      var parser = ConditionParser(text)
      return FalcoCompilerSuite.evaluateMock(try parser.parse())
    }
    #expect(try run("c.true=1 and not c.false=1"))
    #expect(try !run("not (c.false=1 or c.true=1)"))
    #expect(try run(#"c.doublequote = "hello \"quoted\"""#))
    #expect(try !run(#"c.singlequote = "hello ''quoted''""#))
  }
}

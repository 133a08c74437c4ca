@testable import ConformanceSuites
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

import FalconEngine
import PolicyCore
import Testing

@Suite("Condition parser: nesting depth limit")
struct ConditionDepthLimitTests {
  @Test("ten levels of parentheses parse under the default limit of 100")
  func tenLevels() throws {
    let text = String(repeating: "(", count: 10) + "a" + String(repeating: ")", count: 10)
    #expect(try parse(text) == .identifier("a"))
  }

  @Test("100,000 '(' fail with limit_nesting_depth, not a crash", arguments: [ConditionParser.defaultMaxDepth, 1000])
  func hostileNesting(maxDepth: Int) {
    let error = syntaxError(String(repeating: "(", count: 100_000), maxDepth: maxDepth)
    #expect(error?.isDepthLimit == true)
    #expect(error?.code == .limitNestingDepth)
    #expect(error?.message == "exceeded max depth limit of \(maxDepth)")
  }

  @Test("deep 'not' chains and long flat chains need no nesting")
  func flatChains() throws {
    let nots = String(repeating: "not ", count: 10_001) + "a"
    #expect(try parse(nots) == ConditionExpression(.not(.identifier("a"))))
    let ors = (0..<20_000).map { "m\($0)" }.joined(separator: " or ")
    guard case .or(let children) = try parse(ors).kind else { Issue.record("not an or"); return }
    #expect(children.count == 20_000)
  }
}

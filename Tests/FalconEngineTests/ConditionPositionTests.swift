import FalconEngine
import Testing

/// A pre-order trace of node kinds and positions: `binary0 1 1field0 1 1value10 1 11`.
func positionTrace(_ node: ConditionExpression) -> String {
  node.allNodes.map { node in
    let name: String
    switch node.kind {
    case .and: name = "and"
    case .or: name = "or"
    case .not: name = "not"
    case .identifier: name = "identifier"
    case .value: name = "value"
    case .list, .expressionList: name = "list"
    case .unaryCheck: name = "unary"
    case .binaryCheck: name = "binary"
    case .field: name = "field"
    case .transformer: name = "transformer"
    }
    return "\(name)\(node.position.offset) \(node.position.line) \(node.position.column)"
  }.joined()
}

@Suite("Condition positions (libsinsp pos_info)")
struct ConditionPositionTests {
  @Test("nodes start where libsinsp places them", arguments: [
    ("proc.name exists", "unary0 1 1field0 1 1"),
    ("proc.name=nginx", "binary0 1 1field0 1 1value10 1 11"),
    ("proc.aname[3]=nginx", "binary0 1 1field0 1 1value14 1 15"),
    ("proc.name =nginx", "binary0 1 1field0 1 1value11 1 12"),
    ("proc.name in ( nginx, apache)", "binary0 1 1field0 1 1list13 1 14"),
    ("not proc.name=nginx", "not0 1 1binary4 1 5field4 1 5value14 1 15"),
    ("(proc.name=nginx or proc.name=apache)", "or1 1 2binary1 1 2field1 1 2value11 1 12binary20 1 21field20 1 21value30 1 31"),
  ])
  func positions(input: String, trace: String) throws {
    #expect(positionTrace(try parse(input)) == trace)
  }

  @Test("lines advance on every CR or LF; the final position is the end")
  func lines() throws {
    var parser = ConditionParser("a \n and \n not \n b")
    _ = try parser.parse()
    #expect(parser.position == ConditionPosition(offset: 17, line: 4, column: 3))
    let ast = try parse("\n(proc.aname[2]=nginx\n     and evt.type in (connect,accept))")
    #expect(positionTrace(ast).hasPrefix("and2 2 2binary2 2 2field2 2 2value16 2 16binary31 3 10field31 3 10list43 3 22"))
  }

  @Test("an error reports where the parser stopped")
  func errorPosition() {
    #expect(syntaxError("a and\n (b")?.position == ConditionPosition(offset: 9, line: 2, column: 4))
  }
}

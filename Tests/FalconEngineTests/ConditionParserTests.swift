import FalconEngine
import PolicyCore
import Testing

/// Parses or fails the test with the syntax error.
func parse(_ text: String, maxDepth: Int = ConditionParser.defaultMaxDepth) throws -> ConditionExpression {
  var parser = ConditionParser(text, maxDepth: maxDepth)
  return try parser.parse()
}

/// The syntax error for a text the parser must reject.
func syntaxError(_ text: String, maxDepth: Int = ConditionParser.defaultMaxDepth) -> ConditionSyntaxError? {
  var parser = ConditionParser(text, maxDepth: maxDepth)
  do {
    _ = try parser.parse()
    return nil
  } catch {
    return error
  }
}

@Suite("Condition parser: the libsinsp filter grammar")
struct ConditionParserTests {
  @Test("and/or/not build flat nodes; double negation cancels; 'not(' needs no blank")
  func booleanStructure() throws {
    let a = ConditionExpression.identifier("a"), b = ConditionExpression.identifier("b")
    let c = ConditionExpression.identifier("c")
    #expect(try parse("a and b and c") == ConditionExpression(.and([a, b, c])))
    #expect(try parse("a or b and c") == ConditionExpression(.or([a, ConditionExpression(.and([b, c]))])))
    #expect(try parse("not not a") == a)
    #expect(try parse("not(a)and(not(b))") == ConditionExpression(.and([ConditionExpression(.not(a)), ConditionExpression(.not(b))])))
    let notMacro = ConditionExpression.identifier("not_macro")
    #expect(try parse("not not not not not(not not(not not_macro))")
      == ConditionExpression(.not(ConditionExpression(.not(notMacro)))))
    #expect(try parse("macro and not_macro") == ConditionExpression(.and([.identifier("macro"), notMacro])))
  }

  @Test("keywords glued to their neighbours are rejected")
  func keywordBoundaries() {
    for text in ["a andb", "aand b", "a and b and", "and a", "a ornot b", "(a)andnot(b)", "a not b", "a.b = b = 1"] {
      #expect(syntaxError(text) != nil, "\(text) should be rejected")
    }
    #expect(syntaxError("a orb")?.message == "expected blank or '(' after 'or'")
  }

  @Test("checks: fields with arguments, every operator, lists, numbers and hex")
  func checks() throws {
    let check = try parse("proc.aname[2] != sshd")
    #expect(check == ConditionExpression(.binaryCheck(left: .field("proc.aname", "2"), op: "!=", modifier: nil, right: .value("sshd"))))
    for op in ConditionParser.supportedOperators where op != "exists" {
      let rhs = ConditionParser.listOperators.contains(op) ? "(a, b)" : (["<", "<=", ">", ">="].contains(op) ? "1" : "v")
      #expect(throws: Never.self) { try parse("x.y \(op) \(rhs)") }
    }
    #expect(try parse("fd.num >= 0x1F").children.last == .value("0x1F"))
    #expect(try parse("x.y in ()").children.last == ConditionExpression(.list([])))
    #expect(try parse("x.y in (a, 'b c', \"d\")").children.last == ConditionExpression(.list(["a", "b c", "d"])))
    #expect(try parse("x.y intersects my_list").children.last == .value("my_list"))
    #expect(syntaxError("test.num < 0xAAA.1") != nil)
    #expect(syntaxError("test.op containsvalue") != nil)
    #expect(syntaxError("test.list = (value)") != nil)
    #expect(syntaxError("test.op ExIsTs") != nil)
  }

  @Test("a field on the right-hand side is a string unless wrapped in val() or a transformer")
  func rightHandFields() throws {
    #expect(try parse("some.field = test.field").children.last == .value("test.field"))
    let val = try parse("some.field = val(test.field)").children.last
    #expect(val == ConditionExpression(.transformer(name: "val", arguments: [.field("test.field")], index: nil)))
    #expect(syntaxError("val(test.field) exists") != nil)
    #expect(syntaxError("some.field = val(toupper(test.field))") != nil)
    #expect(syntaxError("some.field in (b64(test.field))") != nil)
    #expect(syntaxError("b64 (test.field) exists") != nil)
  }

  @Test("transformers nest; join, concat and getopt take their own arguments")
  func transformers() throws {
    let nested = try parse("b64(toupper(test.field)) exists")
    #expect(nested.canonicalString == "b64(toupper(test.field)) exists")
    let join = try parse(#"join("-", (fd.name, tolower(fd.directory), "x", 12)) = /tmp"#)
    #expect(join.canonicalString == #"join("-", (fd.name, tolower(fd.directory), "x", "12")) = /tmp"#)
    #expect(try parse(join.canonicalString) == join)
    let concat = try parse(#"concat(fd.name, "aaa") = b"#)
    #expect(try parse(concat.canonicalString) == concat)
    let getopt = try parse(#"getopt(proc.args, "nt:")[t] = value"#)
    #expect(getopt.canonicalString == #"getopt(proc.args, "nt:")[t] = value"#)
    #expect(syntaxError(#"getopt(proc.args, "nt:")[] = value"#) != nil)
    #expect(syntaxError(#"join("-", (macro)) = /tmp"#) != nil)
    #expect(syntaxError(#"join("-", (fd.name,)) = /tmp"#) != nil)
  }

  @Test("oneof/anyof/allof modify string operators only, and only before a list or a list name")
  func modifiers() throws {
    let check = try parse("proc.name startswith oneof (sshd, sudo)")
    #expect(check == ConditionExpression(.binaryCheck(left: .field("proc.name"), op: "startswith", modifier: .oneof, right: ConditionExpression(.list(["sshd", "sudo"])))))
    #expect(try parse("proc.name != allof my_list").canonicalString == "proc.name != allof my_list")
    // Not a modifier: a bare string followed by a boolean operator or the end.
    #expect(try parse("proc.name == oneof and fd.name exists").canonicalString == "(proc.name == oneof and fd.name exists)")
    #expect(try parse("proc.name == anyof").children.last == .value("anyof"))
    for text in ["proc.name ==oneof (cat)", "proc.name == oneof(cat)", "proc.name == ONEOF (cat)", "proc.num > oneof (1, 2)", "proc.name in oneof (cat)"] {
      #expect(syntaxError(text) != nil, "\(text) should be rejected")
    }
  }

  @Test("quoted strings: escapes as libsinsp resolves them")
  func quoting() throws {
    #expect(try parse(#"x.y = "a \" b""#).children.last == .value("a \" b"))
    #expect(try parse(#"x.y = 'it\'s'"#).children.last == .value("it's"))
    #expect(try parse(#"x.y = "tab\there""#).children.last == .value("tab\there"))
    // "\ " is read as a backslash, for old rules written that way.
    #expect(try parse(#"x.y = "bad escape \ ""#).children.last == .value("bad escape \\"))
    #expect(syntaxError(#"x.y = "mixed \'""#)?.message == "invalid \\' escape in \"-quoted string")
    #expect(syntaxError(#"x.y = "\q""#)?.message == "unsupported string escape sequence: \\q")
    #expect(syntaxError("x.y = 'missing end quote") != nil)
  }

  @Test("empty input and trailing tokens have libsinsp's messages")
  func messages() {
    #expect(syntaxError("")?.message == "filter input string is empty")
    #expect(syntaxError("a b")?.message == "unexpected token after 'a', expecting 'or', 'and'")
    #expect(syntaxError("(a")?.message == "expected a ')' token")
    #expect(syntaxError("a.b ~ c")?.message.hasPrefix("expected a valid check operator: one of 'exists', '<='") == true)
  }

  @Test("the static parse reports a diagnostic with file:line:col")
  func diagnostic() {
    do {
      _ = try ConditionParser.parse("proc.name = x and\n  (a", name: "cond")
      Issue.record("expected an error")
    } catch {
      #expect(error.code == .falconConditionSyntax)
      #expect(error.description == "cond:2:5: falcon_condition_syntax: expected a ')' token")
    }
  }
}

import PolicyCore
import Testing

@Suite("Diagnostics render as file:line:col with the source line and a caret")
struct DiagnosticTests {
  @Test("rendering with a span")
  func rendered() {
    let file = SourceFile(name: "rules/deny.rego", text: "package x\n\ndeny if {\n  input.x ==\n}\n")
    let offset = Array(file.bytes).firstIndex(of: UInt8(ascii: "=")) ?? 0
    let diagnostic = Diagnostic(
      Diagnostic.Code("rego_parse_error"), "unexpected '}': expected a term",
      span: SourceSpan(file: file, start: offset), notes: ["in rule 'deny'"])
    #expect(
      diagnostic.rendered() == """
        rules/deny.rego:4:11: rego_parse_error: unexpected '}': expected a term
          input.x ==
                  ^
        note: in rule 'deny'
        """)
  }

  @Test("columns count characters, and tabs are kept so the caret lines up")
  func columns() {
    let file = SourceFile(name: "f", text: "\té中x = 1")
    let offset = "\té中".utf8.count
    let diagnostic = Diagnostic(Diagnostic.Code("falcon_parse_error"), "bad", span: SourceSpan(file: file, start: offset))
    #expect(diagnostic.description == "f:1:4: falcon_parse_error: bad")
    #expect(diagnostic.rendered().split(separator: "\n").last == "\t  ^")
  }

  @Test("no span: just the code and message")
  func withoutSpan() {
    let diagnostic = Diagnostic(.ioError, "cannot open x: No such file or directory")
    #expect(diagnostic.rendered() == "io_error: cannot open x: No such file or directory")
  }

  @Test("an error at the end of a file without a final newline")
  func endOfFile() throws {
    let error = #expect(throws: Diagnostic.self) { try JSON.parse("{\n  \"a\": [1,", name: "x.json") }
    #expect(error?.rendered() == "x.json:2:11: json_parse_error: unexpected end of input: expected a value\n  \"a\": [1,\n          ^")
  }

  @Test("codes are stable strings")
  func codes() {
    #expect(Diagnostic.Code.jsonParseError.rawValue == "json_parse_error")
    #expect(Diagnostic.Code.limitNestingDepth.rawValue == "limit_nesting_depth")
    #expect(Diagnostic.Code.limitInputSize.rawValue == "limit_input_size")
    #expect(Diagnostic.Code.limitRegexMatch.rawValue == "limit_regex_match")
    #expect(Diagnostic.Code.limitEvaluationSteps.rawValue == "limit_evaluation_steps")
  }
}

@Suite("Diagnostics on very long lines")
struct LongLineDiagnosticTests {
  @Test("the excerpt is cut around the column")
  func longLine() {
    let text = String(repeating: "a", count: 1000) + "X" + String(repeating: "b", count: 1000)
    let file = SourceFile(name: "min.json", text: text)
    let diagnostic = Diagnostic(.jsonParseError, "bad", span: SourceSpan(file: file, start: 1000))
    let lines = diagnostic.rendered().split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0] == "min.json:1:1001: json_parse_error: bad")
    #expect(lines[1] == "..." + String(repeating: "a", count: 80) + "X" + String(repeating: "b", count: 79) + "...")
    #expect(lines[2] == String(repeating: " ", count: 83) + "^")
  }
}

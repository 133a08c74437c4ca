import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func parseError(_ text: String) -> BuiltinError { .failure("error parsing regexp: " + text) }

@Suite("regex builtins")
struct RegexTests {
  @Test("regex.match and re_match")
  func match() throws {
    #expect(try call("regex.match", "^[a-z]+$", "abc") == true)
    #expect(try call("re_match", "^[a-z]+$", "abc1") == false)
    #expect(try call("regex.match", "\\d+", "a12") == true)
    #expect(try call("regex.match", "\\bfoo\\b", "a foo b") == true)
    #expect(try call("regex.match", "", "anything") == true)
    // Go's `$` is the end of the text, not before a final newline.
    #expect(try call("regex.match", "a$", "a\n") == false)
    #expect(try call("regex.match", "(?m)a$", "a\nb") == true)
    #expect(try call("regex.match", "(?m)^b", "a\nb") == true)
    #expect(try call("regex.match", "^b", "a\nb") == false)
    // `.` excludes only \n; `(?s)` includes it.
    #expect(try call("regex.match", "^a.b$", "a\rb") == true)
    #expect(try call("regex.match", "^a.b$", "a\nb") == false)
    #expect(try call("regex.match", "(?s)^a.b$", "a\nb") == true)
    // Go's \s has no vertical tab; \v is the vertical tab.
    #expect(try call("regex.match", "\\s", "\u{0B}") == false)
    #expect(try call("regex.match", "\\v", "\u{0B}") == true)
    #expect(try call("regex.match", "^\\w+$", "héllo") == false)
    #expect(try call("regex.match", "(?i)^K$", "\u{212A}") == true)
    #expect(try call("regex.match", "(?i)HeLLo", "hello") == true)
    #expect(try call("regex.match", "(?i:a)b", "AB") == false)
    #expect(try call("regex.match", "^\\x{1F600}$", "😀") == true)
    #expect(try call("regex.match", "^\\101$", "A") == true)
    #expect(try call("regex.match", "^\\12$", "\n") == true)
    #expect(try call("regex.match", "^\\pL+$", "héllo") == true)
    #expect(try call("regex.match", "^\\p{Greek}+$", "αβγ") == true)
    #expect(try call("regex.match", "^[[:alpha:]]+$", "abc") == true)
    #expect(try call("regex.match", "^[[:^alpha:]]+$", "123") == true)
    #expect(try call("regex.match", "^[^a]$", "\n") == true)
    #expect(try call("regex.match", "\\Qa.b\\E", "a.b") == true)
    #expect(try call("regex.match", "\\Qa.b\\E", "axb") == false)
    #expect(try call("regex.match", "^a{2,3}$", "aaa") == true)
    #expect(try call("regex.match", "^a{,3}$", "a{,3}") == true)
    #expect(try call("regex.match", "^(?U)a+$", "aaa") == true)
    #expect(try call("regex.match", "^[a-c-e]+$", "a-e") == true)
  }

  @Test("syntax RE2 rejects is an error, worded as Go words it")
  func syntaxErrors() throws {
    #expect(throws: parseError("invalid escape sequence: `\\1`")) { try call("regex.match", "(a)\\1", "aa") }
    #expect(throws: parseError("invalid or unsupported Perl syntax: `(?=`")) { try call("regex.match", "a(?=b)", "ab") }
    #expect(throws: parseError("invalid or unsupported Perl syntax: `(?!`")) { try call("regex.match", "a(?!b)", "ab") }
    #expect(throws: parseError("invalid named capture: `(?<=a)b`")) { try call("regex.match", "(?<=a)b", "ab") }
    #expect(throws: parseError("invalid or unsupported Perl syntax: `(?>`")) { try call("regex.match", "(?>a)", "a") }
    #expect(throws: parseError("invalid nested repetition operator: `++`")) { try call("regex.match", "a++", "a") }
    #expect(throws: parseError("invalid nested repetition operator: `*??`")) { try call("regex.match", "a*??", "a") }
    #expect(throws: parseError("missing argument to repetition operator: `+`")) { try call("regex.match", "++", "a") }
    #expect(throws: parseError("missing argument to repetition operator: `*`")) { try call("regex.match", "a|*", "a") }
    #expect(throws: parseError("missing closing ]: `[a`")) { try call("regex.match", "[a", "a") }
    #expect(throws: parseError("missing closing ): `(a`")) { try call("regex.match", "(a", "a") }
    #expect(throws: parseError("unexpected ): `a)`")) { try call("regex.match", "a)", "a") }
    #expect(throws: parseError("invalid repeat count: `{1001}`")) { try call("regex.match", "a{1001}", "a") }
    #expect(throws: parseError("invalid repeat count: `{2,1}`")) { try call("regex.match", "a{2,1}", "a") }
    #expect(throws: parseError("invalid repeat count: `{3}`")) { try call("regex.match", "(a{500}){3}", "a") }
    #expect(throws: parseError("invalid escape sequence: `\\Z`")) { try call("regex.match", "a\\Z", "a") }
    #expect(throws: parseError("invalid escape sequence: `\\C`")) { try call("regex.match", "\\C", "a") }
    #expect(throws: parseError("trailing backslash at end of expression: ``")) { try call("regex.match", "a\\", "a") }
    #expect(throws: parseError("invalid character class range: `z-a`")) { try call("regex.match", "[z-a]", "a") }
    #expect(throws: parseError("invalid character class range: `[:foo:]`")) {
      try call("regex.match", "[[:foo:]]", "a")
    }
    #expect(throws: parseError("invalid character class range: `\\p{Foo}`")) {
      try call("regex.match", "\\p{Foo}", "a")
    }
    #expect(throws: parseError("invalid or unsupported Perl syntax: `(?#`")) { try call("regex.match", "(?#c)", "a") }
    #expect(throws: parseError("invalid or unsupported Perl syntax: `(?P`")) {
      try call("regex.match", "(?P<n>a)(?P=n)", "a")
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be string but got number")) { try call("regex.match", 1, "a") }
  }

  @Test("regex.is_valid")
  func isValid() throws {
    #expect(try call("regex.is_valid", 10) == false)
    #expect(try call("regex.is_valid", "++") == false)
    #expect(try call("regex.is_valid", ".+") == true)
    #expect(try call("regex.is_valid", "(?P<name>a)(?<other>b)") == true)
    #expect(try call("regex.is_valid", "a(?=b)") == false)
    #expect(try call("regex.is_valid", "\\d{1,1000}") == true)
  }

  @Test("regex.find_n")
  func findN() throws {
    #expect(try call("regex.find_n", "a.", "paranormal", -1) == ["ar", "an", "al"])
    #expect(try call("regex.find_n", "a.", "paranormal", 2) == ["ar", "an"])
    #expect(try call("regex.find_n", "a.", "paranormal", 0) == [])
    #expect(try call("regex.find_n", "^a.", "abacadaeaf", -1) == ["ab"])
    #expect(try call("regex.find_n", ".$", "abacadaeaf", -1) == ["f"])
    #expect(try call("regex.find_n", "[abcdef]{2}", "abacadaeaf", -1) == ["ab", "ac", "ad", "ae", "af"])
    #expect(try call("regex.find_n", "bork", "paranormal", -1) == [])
    #expect(try call("regex.find_n", "(?m)^", "a\n", -1) == ["", ""])
    #expect(try call("regex.find_n", "a*", "baaab", -1) == ["", "aaa", ""])
  }

  @Test("regex.find_all_string_submatch_n")
  func findAllSubmatch() throws {
    #expect(try call("regex.find_all_string_submatch_n", "a(x*)b", "-", -1) == [])
    #expect(try call("regex.find_all_string_submatch_n", "a(x*)b", "-ab-", -1) == [["ab", ""]])
    #expect(try call("regex.find_all_string_submatch_n", "a(x*)b", "-ab-axb-", -1) == [["ab", ""], ["axb", "x"]])
    #expect(try call("regex.find_all_string_submatch_n", "a(x*)b", "-axxb-ab-", -1) == [["axxb", "xx"], ["ab", ""]])
    #expect(try call("regex.find_all_string_submatch_n", "a(x)?(b)", "ab", -1) == [["ab", "", "b"]])
    #expect(try call("regex.find_all_string_submatch_n", "a(x*)b", "-ab-axb-", 1) == [["ab", ""]])
  }

  @Test("regex.split")
  func split() throws {
    #expect(try call("regex.split", "^[a-z]+\\[[0-9]+\\]$", "") == [""])
    #expect(try call("regex.split", "^[a-z]+", "foobar baz") == ["", " baz"])
    #expect(try call("regex.split", "[a-z]+$", "foobar baz") == ["foobar ", ""])
    #expect(try call("regex.split", "^[a-z]+$", "foobar baz") == ["foobar baz"])
    #expect(try call("regex.split", "^[a-z ]+$", "foobar baz") == ["", ""])
    #expect(try call("regex.split", "a", "banana") == ["b", "n", "n", ""])
    #expect(try call("regex.split", "z+", "pizza") == ["pi", "a"])
    #expect(try call("regex.split", "x*", "abc") == ["a", "b", "c"])
    #expect(try call("regex.split", "a*", "abaabaccadaaae") == ["", "b", "b", "c", "c", "d", "e"])
    #expect(try call("regex.split", "", "") == [])
  }

  @Test("regex.replace")
  func replace() throws {
    #expect(try call("regex.replace", "-wy-wxxy-", "w(x*)y", "0") == "-0-0-")
    #expect(try call("regex.replace", "foo", "(foo)", "$1$1") == "foofoo")
    #expect(throws: parseError("missing closing ]: `[`")) { try call("regex.replace", "foo", "[", "$1") }
    #expect(try call("regex.replace", "foo", "^[a-z]", "F") == "Foo")
    #expect(try call("regex.replace", "foo", "^[a-z]$", "F") == "foo")
    #expect(try call("regex.replace", "foo", "^[a-z]+$", "M") == "M")
    #expect(try call("regex.replace", "foo", "[a-z]$", "F") == "foF")
    #expect(try call("regex.replace", "foo", "x[a-z]$", "F") == "foo")
    #expect(try call("regex.replace", "foo bar", "[a-z]", "_") == "___ ___")
    #expect(try call("regex.replace", "foo barx", "[a-z]{3}", "_") == "_ _x")
    #expect(try call("regex.replace", "foo barx", "[a-z]{2}", "_") == "_o __")
    #expect(try call("regex.replace", "abc", "x*", "-") == "-a-b-c-")
    #expect(try call("regex.replace", "baaab", "a*", "X") == "XbXbX")
    #expect(try call("regex.replace", "abc", "(?P<x>b)", "[$x]") == "a[b]c")
    #expect(try call("regex.replace", "abc", "(b)", "${1}x$1x$$") == "abx$c")
    #expect(try call("regex.replace", "abc", "(b)", "$2$nope$") == "a$c")
    #expect(try call("regex.replace", "åäö", "ä", "a") == "åaö")
  }

  @Test("regex.template_match")
  func templateMatch() throws {
    #expect(try call("regex.template_match", "urn:foo:{.*}", "urn:foo:bar:baz", "{", "}") == true)
    #expect(try call("regex.template_match", "urn:foo:<.*>", "urn:foo:bar:baz", "<", ">") == true)
    #expect(try call("regex.template_match", "urn:foo:{[0-9]+}", "urn:foo:123", "{", "}") == true)
    #expect(try call("regex.template_match", "urn:foo:{[0-9]+}", "urn:foo:abc", "{", "}") == false)
    #expect(try call("regex.template_match", "a.b:{x}", "aXb:x", "{", "}") == false)
    #expect(throws: BuiltinError.failure("unbalanced braces in \"urn:{foo\"")) {
      try call("regex.template_match", "urn:{foo", "urn:foo", "{", "}")
    }
    #expect(throws: BuiltinError.failure("start delimiter has to be exactly one character long but is 2 long")) {
      try call("regex.template_match", "urn", "urn", "{{", "}")
    }
    #expect(throws: parseError("missing closing ]: `[$`")) { try call("regex.template_match", "a{[}", "a", "{", "}") }
  }

  @Test("regex.globs_match")
  func globsMatch() throws {
    #expect(try call("regex.globs_match", "a.a.[0-9]+z", ".b.b2359825792*594823z") == true)
    #expect(try call("regex.globs_match", "[a-z]+", "[0-9]*") == false)
    #expect(try call("regex.globs_match", "[a-z]+\\[[0-9]+\\]", "foo\\[1\\]") == true)
    #expect(try call("regex.globs_match", "[a-z]+\\[[0-9]+\\]", "foo[\"bar\"]") == false)
    #expect(try call("regex.globs_match", "a.a.", ".b.b") == true)
    #expect(
      throws: BuiltinError.failure(
        "input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid")
    ) {
      try call("regex.globs_match", "pqrs]", "[a-b]+")
    }
    #expect(
      throws: BuiltinError.failure(
        "input:+, pos:1, flag '+' must be preceded by a non-flag: the input provided is invalid")
    ) {
      try call("regex.globs_match", "+", "a")
    }
    #expect(throws: BuiltinError.failure("input:[ab, pos:3, found [ without matching ]: the input provided is invalid"))
    {
      try call("regex.globs_match", "[ab", "a")
    }
    #expect(
      throws: BuiltinError.failure(
        "input:[a-z, pos:3, range character '-' must be followed by a Unicode character: the input provided is invalid")
    ) {
      try call("regex.globs_match", "[a-z", "a")
    }
  }
}

/// One subject's results from Go: MatchString, FindAllString(-1), Split(-1),
/// ReplaceAllString(s, "<$1|${0}|$$>") and FindAllStringSubmatch(2).
private struct GoRegexRow {
  var subject: String
  var matches: Bool
  var all: [String]
  var split: [String]
  var replaced: String
  var submatches: [[String]]
}

private struct GoRegexCase {
  var pattern: String
  var rows: [GoRegexRow]
  var error: String?
  var valid: Bool
}

private func row(
  _ subject: String, _ matches: Bool, _ all: [String], _ split: [String], _ replaced: String, _ submatches: [[String]]
) -> GoRegexRow {
  GoRegexRow(subject: subject, matches: matches, all: all, split: split, replaced: replaced, submatches: submatches)
}

private func valid(_ pattern: String, _ rows: [GoRegexRow]) -> GoRegexCase {
  GoRegexCase(pattern: pattern, rows: rows, error: nil, valid: true)
}

private func invalid(_ pattern: String, _ error: String, valid: Bool) -> GoRegexCase {
  GoRegexCase(pattern: pattern, rows: [], error: error, valid: valid)
}

private func strings(_ values: [String]) -> Value { .array(values.map(Value.string)) }

/// Patterns and subjects run through Go's regexp (Go 1.19, `(?<` adjusted to Go 1.22).
@Suite("regex against Go")
struct RegexGoTableTests {
  fileprivate static let cases: [GoRegexCase] = [
    valid(
      "a",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["a", "a", "a"], ["", "", "", ""], "<|a|$><|a|$><|a|$>", [["a"], ["a"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a*",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<|a|$>b<||$>c<||$>d<||$>", [["a"], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a"], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<|a|$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<|a|$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<|a|$>.<||$>b<||$> <|a|$>.<||$>b<||$>b<||$>", [["a"], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "a+?",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["a", "a", "a"], ["", "", "", ""], "<|a|$><|a|$><|a|$>", [["a"], ["a"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(a|ab)(c|bcd)(d*)",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["abcd"], ["", ""], "<a|abcd|$>", [["abcd", "a", "bcd", ""]]),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "^",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, [""], ["a"], "<||$>a", [[""]]),
        row("aaa", true, [""], ["aaa"], "<||$>aaa", [[""]]),
        row("abcd", true, [""], ["abcd"], "<||$>abcd", [[""]]),
        row("ab\u{a}cd\u{a}", true, [""], ["ab\u{a}cd\u{a}"], "<||$>ab\u{a}cd\u{a}", [[""]]),
        row("Foo BAR baz", true, [""], ["Foo BAR baz"], "<||$>Foo BAR baz", [[""]]),
        row("STRASSE straße", true, [""], ["STRASSE straße"], "<||$>STRASSE straße", [[""]]),
        row("kKK", true, [""], ["kKK"], "<||$>kKK", [[""]]),
        row("αβγ ABC 123", true, [""], ["αβγ ABC 123"], "<||$>αβγ ABC 123", [[""]]),
        row("x1y2z3", true, [""], ["x1y2z3"], "<||$>x1y2z3", [[""]]),
        row("a.b a.bb", true, [""], ["a.b a.bb"], "<||$>a.b a.bb", [[""]]),
        row("😀 ą", true, [""], ["😀 ą"], "<||$>😀 ą", [[""]]),
        row("\u{9} \u{b}\u{a}", true, [""], ["\u{9} \u{b}\u{a}"], "<||$>\u{9} \u{b}\u{a}", [[""]]),
      ]),
    valid(
      "$",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, [""], ["a"], "a<||$>", [[""]]),
        row("aaa", true, [""], ["aaa"], "aaa<||$>", [[""]]),
        row("abcd", true, [""], ["abcd"], "abcd<||$>", [[""]]),
        row("ab\u{a}cd\u{a}", true, [""], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}<||$>", [[""]]),
        row("Foo BAR baz", true, [""], ["Foo BAR baz"], "Foo BAR baz<||$>", [[""]]),
        row("STRASSE straße", true, [""], ["STRASSE straße"], "STRASSE straße<||$>", [[""]]),
        row("kKK", true, [""], ["kKK"], "kKK<||$>", [[""]]),
        row("αβγ ABC 123", true, [""], ["αβγ ABC 123"], "αβγ ABC 123<||$>", [[""]]),
        row("x1y2z3", true, [""], ["x1y2z3"], "x1y2z3<||$>", [[""]]),
        row("a.b a.bb", true, [""], ["a.b a.bb"], "a.b a.bb<||$>", [[""]]),
        row("😀 ą", true, [""], ["😀 ą"], "😀 ą<||$>", [[""]]),
        row("\u{9} \u{b}\u{a}", true, [""], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}<||$>", [[""]]),
      ]),
    valid(
      "(?m)^",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, [""], ["a"], "<||$>a", [[""]]),
        row("aaa", true, [""], ["aaa"], "<||$>aaa", [[""]]),
        row("abcd", true, [""], ["abcd"], "<||$>abcd", [[""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", ""], ["ab\u{a}", "cd\u{a}"], "<||$>ab\u{a}<||$>cd\u{a}<||$>", [[""], [""]]),
        row("Foo BAR baz", true, [""], ["Foo BAR baz"], "<||$>Foo BAR baz", [[""]]),
        row("STRASSE straße", true, [""], ["STRASSE straße"], "<||$>STRASSE straße", [[""]]),
        row("kKK", true, [""], ["kKK"], "<||$>kKK", [[""]]),
        row("αβγ ABC 123", true, [""], ["αβγ ABC 123"], "<||$>αβγ ABC 123", [[""]]),
        row("x1y2z3", true, [""], ["x1y2z3"], "<||$>x1y2z3", [[""]]),
        row("a.b a.bb", true, [""], ["a.b a.bb"], "<||$>a.b a.bb", [[""]]),
        row("😀 ą", true, [""], ["😀 ą"], "<||$>😀 ą", [[""]]),
        row("\u{9} \u{b}\u{a}", true, ["", ""], ["\u{9} \u{b}\u{a}"], "<||$>\u{9} \u{b}\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "(?m)$",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, [""], ["a"], "a<||$>", [[""]]),
        row("aaa", true, [""], ["aaa"], "aaa<||$>", [[""]]),
        row("abcd", true, [""], ["abcd"], "abcd<||$>", [[""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", ""], ["ab", "\u{a}cd", "\u{a}"], "ab<||$>\u{a}cd<||$>\u{a}<||$>",
          [[""], [""]]),
        row("Foo BAR baz", true, [""], ["Foo BAR baz"], "Foo BAR baz<||$>", [[""]]),
        row("STRASSE straße", true, [""], ["STRASSE straße"], "STRASSE straße<||$>", [[""]]),
        row("kKK", true, [""], ["kKK"], "kKK<||$>", [[""]]),
        row("αβγ ABC 123", true, [""], ["αβγ ABC 123"], "αβγ ABC 123<||$>", [[""]]),
        row("x1y2z3", true, [""], ["x1y2z3"], "x1y2z3<||$>", [[""]]),
        row("a.b a.bb", true, [""], ["a.b a.bb"], "a.b a.bb<||$>", [[""]]),
        row("😀 ą", true, [""], ["😀 ą"], "😀 ą<||$>", [[""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", ""], ["\u{9} \u{b}", "\u{a}"], "\u{9} \u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "(?m)^\\w+$",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\b",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", ""], ["aaa"], "<||$>aaa<||$>", [[""], [""]]),
        row("abcd", true, ["", ""], ["abcd"], "<||$>abcd<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", ""], ["ab", "\u{a}", "cd", "\u{a}"],
          "<||$>ab<||$>\u{a}<||$>cd<||$>\u{a}", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", ""], ["Foo", " ", "BAR", " ", "baz"],
          "<||$>Foo<||$> <||$>BAR<||$> <||$>baz<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", ""], ["STRASSE", " ", "stra", "ß", "e"],
          "<||$>STRASSE<||$> <||$>stra<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", ""], ["kKK"], "<||$>kKK<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", ""], ["αβγ ", "ABC", " ", "123"], "αβγ <||$>ABC<||$> <||$>123<||$>",
          [[""], [""]]),
        row("x1y2z3", true, ["", ""], ["x1y2z3"], "<||$>x1y2z3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "bb"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>bb<||$>", [[""], [""]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\B",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", false, [], ["a"], "a", []),
        row("aaa", true, ["", ""], ["a", "a", "a"], "a<||$>a<||$>a", [[""], [""]]),
        row("abcd", true, ["", "", ""], ["a", "b", "c", "d"], "a<||$>b<||$>c<||$>d", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", ""], ["a", "b\u{a}c", "d\u{a}"], "a<||$>b\u{a}c<||$>d\u{a}<||$>",
          [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", ""], ["F", "o", "o B", "A", "R b", "a", "z"],
          "F<||$>o<||$>o B<||$>A<||$>R b<||$>a<||$>z", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E s", "t", "r", "aße"],
          "S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E s<||$>t<||$>r<||$>aße", [[""], [""]]),
        row("kKK", true, ["", ""], ["k", "K", "K"], "k<||$>K<||$>K", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", ""], ["α", "β", "γ", " A", "B", "C 1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> A<||$>B<||$>C 1<||$>2<||$>3", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", ""], ["x", "1", "y", "2", "z", "3"], "x<||$>1<||$>y<||$>2<||$>z<||$>3",
          [[""], [""]]),
        row("a.b a.bb", true, [""], ["a.b a.b", "b"], "a.b a.b<||$>b", [[""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "x*",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["x", "", "", "", "", ""], ["", "1", "y", "2", "z", "3"],
          "<|x|$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["x"], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "[[:alpha:]]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row(
          "Foo BAR baz", true, ["Foo", "BAR", "baz"], ["", " ", " ", ""], "<|Foo|$> <|BAR|$> <|baz|$>",
          [["Foo"], ["BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE", "stra", "e"], ["", " ", "ß", ""], "<|STRASSE|$> <|stra|$>ß<|e|$>",
          [["STRASSE"], ["stra"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["ABC"], ["αβγ ", " 123"], "αβγ <|ABC|$> 123", [["ABC"]]),
        row("x1y2z3", true, ["x", "y", "z"], ["", "1", "2", "3"], "<|x|$>1<|y|$>2<|z|$>3", [["x"], ["y"]]),
        row(
          "a.b a.bb", true, ["a", "b", "a", "bb"], ["", ".", " ", ".", ""], "<|a|$>.<|b|$> <|a|$>.<|bb|$>",
          [["a"], ["b"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[[:^space:]]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row(
          "Foo BAR baz", true, ["Foo", "BAR", "baz"], ["", " ", " ", ""], "<|Foo|$> <|BAR|$> <|baz|$>",
          [["Foo"], ["BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE", "straße"], ["", " ", ""], "<|STRASSE|$> <|straße|$>",
          [["STRASSE"], ["straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row(
          "αβγ ABC 123", true, ["αβγ", "ABC", "123"], ["", " ", " ", ""], "<|αβγ|$> <|ABC|$> <|123|$>",
          [["αβγ"], ["ABC"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", true, ["a.b", "a.bb"], ["", " ", ""], "<|a.b|$> <|a.bb|$>", [["a.b"], ["a.bb"]]),
        row("😀 ą", true, ["😀", "ą"], ["", " ", ""], "<|😀|$> <|ą|$>", [["😀"], ["ą"]]),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\d+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["123"], ["αβγ ABC ", ""], "αβγ ABC <|123|$>", [["123"]]),
        row("x1y2z3", true, ["1", "2", "3"], ["x", "y", "z", ""], "x<|1|$>y<|2|$>z<|3|$>", [["1"], ["2"]]),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\D+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row("ab\u{a}cd\u{a}", true, ["ab\u{a}cd\u{a}"], ["", ""], "<|ab\u{a}cd\u{a}|$>", [["ab\u{a}cd\u{a}"]]),
        row("Foo BAR baz", true, ["Foo BAR baz"], ["", ""], "<|Foo BAR baz|$>", [["Foo BAR baz"]]),
        row("STRASSE straße", true, ["STRASSE straße"], ["", ""], "<|STRASSE straße|$>", [["STRASSE straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ ABC "], ["", "123"], "<|αβγ ABC |$>123", [["αβγ ABC "]]),
        row("x1y2z3", true, ["x", "y", "z"], ["", "1", "2", "3"], "<|x|$>1<|y|$>2<|z|$>3", [["x"], ["y"]]),
        row("a.b a.bb", true, ["a.b a.bb"], ["", ""], "<|a.b a.bb|$>", [["a.b a.bb"]]),
        row("😀 ą", true, ["😀 ą"], ["", ""], "<|😀 ą|$>", [["😀 ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      "\\s+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row(
          "ab\u{a}cd\u{a}", true, ["\u{a}", "\u{a}"], ["ab", "cd", ""], "ab<|\u{a}|$>cd<|\u{a}|$>",
          [["\u{a}"], ["\u{a}"]]),
        row("Foo BAR baz", true, [" ", " "], ["Foo", "BAR", "baz"], "Foo<| |$>BAR<| |$>baz", [[" "], [" "]]),
        row("STRASSE straße", true, [" "], ["STRASSE", "straße"], "STRASSE<| |$>straße", [[" "]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, [" ", " "], ["αβγ", "ABC", "123"], "αβγ<| |$>ABC<| |$>123", [[" "], [" "]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, [" "], ["a.b", "a.bb"], "a.b<| |$>a.bb", [[" "]]),
        row("😀 ą", true, [" "], ["😀", "ą"], "😀<| |$>ą", [[" "]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["\u{9} ", "\u{a}"], ["", "\u{b}", ""], "<|\u{9} |$>\u{b}<|\u{a}|$>",
          [["\u{9} "], ["\u{a}"]]),
      ]),
    valid(
      "\\S+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row(
          "Foo BAR baz", true, ["Foo", "BAR", "baz"], ["", " ", " ", ""], "<|Foo|$> <|BAR|$> <|baz|$>",
          [["Foo"], ["BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE", "straße"], ["", " ", ""], "<|STRASSE|$> <|straße|$>",
          [["STRASSE"], ["straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row(
          "αβγ ABC 123", true, ["αβγ", "ABC", "123"], ["", " ", " ", ""], "<|αβγ|$> <|ABC|$> <|123|$>",
          [["αβγ"], ["ABC"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", true, ["a.b", "a.bb"], ["", " ", ""], "<|a.b|$> <|a.bb|$>", [["a.b"], ["a.bb"]]),
        row("😀 ą", true, ["😀", "ą"], ["", " ", ""], "<|😀|$> <|ą|$>", [["😀"], ["ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{b}"], ["\u{9} ", "\u{a}"], "\u{9} <|\u{b}|$>\u{a}", [["\u{b}"]]),
      ]),
    valid(
      "\\w+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row(
          "Foo BAR baz", true, ["Foo", "BAR", "baz"], ["", " ", " ", ""], "<|Foo|$> <|BAR|$> <|baz|$>",
          [["Foo"], ["BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE", "stra", "e"], ["", " ", "ß", ""], "<|STRASSE|$> <|stra|$>ß<|e|$>",
          [["STRASSE"], ["stra"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["ABC", "123"], ["αβγ ", " ", ""], "αβγ <|ABC|$> <|123|$>", [["ABC"], ["123"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row(
          "a.b a.bb", true, ["a", "b", "a", "bb"], ["", ".", " ", ".", ""], "<|a|$>.<|b|$> <|a|$>.<|bb|$>",
          [["a"], ["b"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\W+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row(
          "ab\u{a}cd\u{a}", true, ["\u{a}", "\u{a}"], ["ab", "cd", ""], "ab<|\u{a}|$>cd<|\u{a}|$>",
          [["\u{a}"], ["\u{a}"]]),
        row("Foo BAR baz", true, [" ", " "], ["Foo", "BAR", "baz"], "Foo<| |$>BAR<| |$>baz", [[" "], [" "]]),
        row(
          "STRASSE straße", true, [" ", "ß"], ["STRASSE", "stra", "e"], "STRASSE<| |$>stra<|ß|$>e", [[" "], ["ß"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["αβγ ", " "], ["", "ABC", "123"], "<|αβγ |$>ABC<| |$>123", [["αβγ "], [" "]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, [".", " ", "."], ["a", "b", "a", "bb"], "a<|.|$>b<| |$>a<|.|$>bb", [["."], [" "]]),
        row("😀 ą", true, ["😀 ą"], ["", ""], "<|😀 ą|$>", [["😀 ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      "[^a-c]+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["d"], ["abc", ""], "abc<|d|$>", [["d"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["\u{a}", "d\u{a}"], ["ab", "c", ""], "ab<|\u{a}|$>c<|d\u{a}|$>",
          [["\u{a}"], ["d\u{a}"]]),
        row("Foo BAR baz", true, ["Foo BAR ", "z"], ["", "ba", ""], "<|Foo BAR |$>ba<|z|$>", [["Foo BAR "], ["z"]]),
        row(
          "STRASSE straße", true, ["STRASSE str", "ße"], ["", "a", ""], "<|STRASSE str|$>a<|ße|$>",
          [["STRASSE str"], ["ße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ ABC 123"], ["", ""], "<|αβγ ABC 123|$>", [["αβγ ABC 123"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", true, [".", " ", "."], ["a", "b", "a", "bb"], "a<|.|$>b<| |$>a<|.|$>bb", [["."], [" "]]),
        row("😀 ą", true, ["😀 ą"], ["", ""], "<|😀 ą|$>", [["😀 ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      "(?i)straße",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", true, ["straße"], ["STRASSE ", ""], "STRASSE <|straße|$>", [["straße"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?i)k+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?i)[a-c]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abc"], ["", "d"], "<|abc|$>d", [["abc"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "c"], ["", "\u{a}", "d\u{a}"], "<|ab|$>\u{a}<|c|$>d\u{a}", [["ab"], ["c"]]),
        row("Foo BAR baz", true, ["BA", "ba"], ["Foo ", "R ", "z"], "Foo <|BA|$>R <|ba|$>z", [["BA"], ["ba"]]),
        row(
          "STRASSE straße", true, ["A", "a"], ["STR", "SSE str", "ße"], "STR<|A|$>SSE str<|a|$>ße", [["A"], ["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["ABC"], ["αβγ ", " 123"], "αβγ <|ABC|$> 123", [["ABC"]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row(
          "a.b a.bb", true, ["a", "b", "a", "bb"], ["", ".", " ", ".", ""], "<|a|$>.<|b|$> <|a|$>.<|bb|$>",
          [["a"], ["b"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?i:Ab)c",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["abc"], ["", "d"], "<|abc|$>d", [["abc"]]),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?s).+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row("ab\u{a}cd\u{a}", true, ["ab\u{a}cd\u{a}"], ["", ""], "<|ab\u{a}cd\u{a}|$>", [["ab\u{a}cd\u{a}"]]),
        row("Foo BAR baz", true, ["Foo BAR baz"], ["", ""], "<|Foo BAR baz|$>", [["Foo BAR baz"]]),
        row("STRASSE straße", true, ["STRASSE straße"], ["", ""], "<|STRASSE straße|$>", [["STRASSE straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ ABC 123"], ["", ""], "<|αβγ ABC 123|$>", [["αβγ ABC 123"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", true, ["a.b a.bb"], ["", ""], "<|a.b a.bb|$>", [["a.b a.bb"]]),
        row("😀 ą", true, ["😀 ą"], ["", ""], "<|😀 ą|$>", [["😀 ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      ".+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row("Foo BAR baz", true, ["Foo BAR baz"], ["", ""], "<|Foo BAR baz|$>", [["Foo BAR baz"]]),
        row("STRASSE straße", true, ["STRASSE straße"], ["", ""], "<|STRASSE straße|$>", [["STRASSE straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ ABC 123"], ["", ""], "<|αβγ ABC 123|$>", [["αβγ ABC 123"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", true, ["a.b a.bb"], ["", ""], "<|a.b a.bb|$>", [["a.b a.bb"]]),
        row("😀 ą", true, ["😀 ą"], ["", ""], "<|😀 ą|$>", [["😀 ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}"], ["", "\u{a}"], "<|\u{9} \u{b}|$>\u{a}", [["\u{9} \u{b}"]]),
      ]),
    valid(
      "a.c",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["abc"], ["", "d"], "<|abc|$>d", [["abc"]]),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\pL+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row(
          "Foo BAR baz", true, ["Foo", "BAR", "baz"], ["", " ", " ", ""], "<|Foo|$> <|BAR|$> <|baz|$>",
          [["Foo"], ["BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE", "straße"], ["", " ", ""], "<|STRASSE|$> <|straße|$>",
          [["STRASSE"], ["straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ", "ABC"], ["", " ", " 123"], "<|αβγ|$> <|ABC|$> 123", [["αβγ"], ["ABC"]]),
        row("x1y2z3", true, ["x", "y", "z"], ["", "1", "2", "3"], "<|x|$>1<|y|$>2<|z|$>3", [["x"], ["y"]]),
        row(
          "a.b a.bb", true, ["a", "b", "a", "bb"], ["", ".", " ", ".", ""], "<|a|$>.<|b|$> <|a|$>.<|bb|$>",
          [["a"], ["b"]]),
        row("😀 ą", true, ["ą"], ["😀 ", ""], "😀 <|ą|$>", [["ą"]]),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\p{Greek}+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["αβγ"], ["", " ABC 123"], "<|αβγ|$> ABC 123", [["αβγ"]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\PL+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row(
          "ab\u{a}cd\u{a}", true, ["\u{a}", "\u{a}"], ["ab", "cd", ""], "ab<|\u{a}|$>cd<|\u{a}|$>",
          [["\u{a}"], ["\u{a}"]]),
        row("Foo BAR baz", true, [" ", " "], ["Foo", "BAR", "baz"], "Foo<| |$>BAR<| |$>baz", [[" "], [" "]]),
        row("STRASSE straße", true, [" "], ["STRASSE", "straße"], "STRASSE<| |$>straße", [[" "]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, [" ", " 123"], ["αβγ", "ABC", ""], "αβγ<| |$>ABC<| 123|$>", [[" "], [" 123"]]),
        row("x1y2z3", true, ["1", "2", "3"], ["x", "y", "z", ""], "x<|1|$>y<|2|$>z<|3|$>", [["1"], ["2"]]),
        row("a.b a.bb", true, [".", " ", "."], ["a", "b", "a", "bb"], "a<|.|$>b<| |$>a<|.|$>bb", [["."], [" "]]),
        row("😀 ą", true, ["😀 "], ["", "ą"], "<|😀 |$>ą", [["😀 "]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      "\\p{^L}+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row(
          "ab\u{a}cd\u{a}", true, ["\u{a}", "\u{a}"], ["ab", "cd", ""], "ab<|\u{a}|$>cd<|\u{a}|$>",
          [["\u{a}"], ["\u{a}"]]),
        row("Foo BAR baz", true, [" ", " "], ["Foo", "BAR", "baz"], "Foo<| |$>BAR<| |$>baz", [[" "], [" "]]),
        row("STRASSE straße", true, [" "], ["STRASSE", "straße"], "STRASSE<| |$>straße", [[" "]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, [" ", " 123"], ["αβγ", "ABC", ""], "αβγ<| |$>ABC<| 123|$>", [[" "], [" 123"]]),
        row("x1y2z3", true, ["1", "2", "3"], ["x", "y", "z", ""], "x<|1|$>y<|2|$>z<|3|$>", [["1"], ["2"]]),
        row("a.b a.bb", true, [".", " ", "."], ["a", "b", "a", "bb"], "a<|.|$>b<| |$>a<|.|$>bb", [["."], [" "]]),
        row("😀 ą", true, ["😀 "], ["", "ą"], "<|😀 |$>ą", [["😀 "]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      "[\\p{Lu}\\d]+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", true, ["F", "BAR"], ["", "oo ", " baz"], "<|F|$>oo <|BAR|$> baz", [["F"], ["BAR"]]),
        row("STRASSE straße", true, ["STRASSE"], ["", " straße"], "<|STRASSE|$> straße", [["STRASSE"]]),
        row("kKK", true, ["KK"], ["k", ""], "k<|KK|$>", [["KK"]]),
        row("αβγ ABC 123", true, ["ABC", "123"], ["αβγ ", " ", ""], "αβγ <|ABC|$> <|123|$>", [["ABC"], ["123"]]),
        row("x1y2z3", true, ["1", "2", "3"], ["x", "y", "z", ""], "x<|1|$>y<|2|$>z<|3|$>", [["1"], ["2"]]),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?U)a+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["a", "a", "a"], ["", "", "", ""], "<|a|$><|a|$><|a|$>", [["a"], ["a"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?U)a+?",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a{2}",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", true, ["aa"], ["", "a"], "<|aa|$>a", [["aa"]]),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a{2,}",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a{2,3}?",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", true, ["aa"], ["", "a"], "<|aa|$>a", [["aa"]]),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a{,2}",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a{",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "{",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "}",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "]",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\Qa.b\\E+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a.b", "a.bb"], ["", " ", ""], "<|a.b|$> <|a.bb|$>", [["a.b"], ["a.bb"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\Qa.b",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a.b", "a.b"], ["", " ", "b"], "<|a.b|$> <|a.b|$>b", [["a.b"], ["a.b"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[a-]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[-a]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[]a]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["a"], ["Foo BAR b", "z"], "Foo BAR b<|a|$>z", [["a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<|a|$>ße", [["a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a", "a"], ["", ".b ", ".bb"], "<|a|$>.b <|a|$>.bb", [["a"], ["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[^]a]+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["bcd"], ["a", ""], "a<|bcd|$>", [["bcd"]]),
        row("ab\u{a}cd\u{a}", true, ["b\u{a}cd\u{a}"], ["a", ""], "a<|b\u{a}cd\u{a}|$>", [["b\u{a}cd\u{a}"]]),
        row("Foo BAR baz", true, ["Foo BAR b", "z"], ["", "a", ""], "<|Foo BAR b|$>a<|z|$>", [["Foo BAR b"], ["z"]]),
        row(
          "STRASSE straße", true, ["STRASSE str", "ße"], ["", "a", ""], "<|STRASSE str|$>a<|ße|$>",
          [["STRASSE str"], ["ße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ ABC 123"], ["", ""], "<|αβγ ABC 123|$>", [["αβγ ABC 123"]]),
        row("x1y2z3", true, ["x1y2z3"], ["", ""], "<|x1y2z3|$>", [["x1y2z3"]]),
        row("a.b a.bb", true, [".b ", ".bb"], ["a", "a", ""], "a<|.b |$>a<|.bb|$>", [[".b "], [".bb"]]),
        row("😀 ą", true, ["😀 ą"], ["", ""], "<|😀 ą|$>", [["😀 ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{9} \u{b}\u{a}"], ["", ""], "<|\u{9} \u{b}\u{a}|$>", [["\u{9} \u{b}\u{a}"]]),
      ]),
    valid(
      "\\x41\\x{42}\\103\\0",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\a\\f\\t\\n\\r\\v",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$\\\\\\_\\-\\#\\ ",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?P<first>\\w+) (?P<last>\\w+)",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", true, ["Foo BAR"], ["", " baz"], "<Foo|Foo BAR|$> baz", [["Foo BAR", "Foo", "BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE stra"], ["", "ße"], "<STRASSE|STRASSE stra|$>ße",
          [["STRASSE stra", "STRASSE", "stra"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["ABC 123"], ["αβγ ", ""], "αβγ <ABC|ABC 123|$>", [["ABC 123", "ABC", "123"]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["b a"], ["a.", ".bb"], "a.<b|b a|$>.bb", [["b a", "b", "a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(a)(b)?(c)",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["abc"], ["", "d"], "<a|abc|$>d", [["abc", "a", "b", "c"]]),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "((a)|b)+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<a|a|$>", [["a", "a", "a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<a|aaa|$>", [["aaa", "a", "a"]]),
        row("abcd", true, ["ab"], ["", "cd"], "<b|ab|$>cd", [["ab", "b", "a"]]),
        row("ab\u{a}cd\u{a}", true, ["ab"], ["", "\u{a}cd\u{a}"], "<b|ab|$>\u{a}cd\u{a}", [["ab", "b", "a"]]),
        row("Foo BAR baz", true, ["ba"], ["Foo BAR ", "z"], "Foo BAR <a|ba|$>z", [["ba", "a", "a"]]),
        row("STRASSE straße", true, ["a"], ["STRASSE str", "ße"], "STRASSE str<a|a|$>ße", [["a", "a", "a"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row(
          "a.b a.bb", true, ["a", "b", "a", "bb"], ["", ".", " ", ".", ""], "<a|a|$>.<b|b|$> <a|a|$>.<b|bb|$>",
          [["a", "a", "a"], ["b", "b", ""]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(a*)*",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["a"], ["", ""], "<a|a|$>", [["a", "a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<aaa|aaa|$>", [["aaa", "aaa"]]),
        row(
          "abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<a|a|$>b<||$>c<||$>d<||$>", [["a", "a"], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<a|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a", "a"], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<a|a|$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<a|a|$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<a|a|$>.<||$>b<||$> <a|a|$>.<||$>b<||$>b<||$>", [["a", "a"], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a*)+",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["a"], ["", ""], "<a|a|$>", [["a", "a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<aaa|aaa|$>", [["aaa", "aaa"]]),
        row(
          "abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<a|a|$>b<||$>c<||$>d<||$>", [["a", "a"], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<a|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a", "a"], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<a|a|$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<a|a|$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<a|a|$>.<||$>b<||$> <a|a|$>.<||$>b<||$>b<||$>", [["a", "a"], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a|b)*?c",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["abc"], ["", "d"], "<b|abc|$>d", [["abc", "b"]]),
        row("ab\u{a}cd\u{a}", true, ["c"], ["ab\u{a}", "d\u{a}"], "ab\u{a}<|c|$>d\u{a}", [["c", ""]]),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[\\x{10000}-\\x{10FFFF}]",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", true, ["😀"], ["", " ą"], "<|😀|$> ą", [["😀"]]),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\A\\w",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["a"], ["", "aa"], "<|a|$>aa", [["a"]]),
        row("abcd", true, ["a"], ["", "bcd"], "<|a|$>bcd", [["a"]]),
        row("ab\u{a}cd\u{a}", true, ["a"], ["", "b\u{a}cd\u{a}"], "<|a|$>b\u{a}cd\u{a}", [["a"]]),
        row("Foo BAR baz", true, ["F"], ["", "oo BAR baz"], "<|F|$>oo BAR baz", [["F"]]),
        row("STRASSE straße", true, ["S"], ["", "TRASSE straße"], "<|S|$>TRASSE straße", [["S"]]),
        row("kKK", true, ["k"], ["", "KK"], "<|k|$>KK", [["k"]]),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", true, ["x"], ["", "1y2z3"], "<|x|$>1y2z3", [["x"]]),
        row("a.b a.bb", true, ["a"], ["", ".b a.bb"], "<|a|$>.b a.bb", [["a"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "\\w\\z",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["a"], ["aa", ""], "aa<|a|$>", [["a"]]),
        row("abcd", true, ["d"], ["abc", ""], "abc<|d|$>", [["d"]]),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", true, ["z"], ["Foo BAR ba", ""], "Foo BAR ba<|z|$>", [["z"]]),
        row("STRASSE straße", true, ["e"], ["STRASSE straß", ""], "STRASSE straß<|e|$>", [["e"]]),
        row("kKK", true, ["K"], ["kK", ""], "kK<|K|$>", [["K"]]),
        row("αβγ ABC 123", true, ["3"], ["αβγ ABC 12", ""], "αβγ ABC 12<|3|$>", [["3"]]),
        row("x1y2z3", true, ["3"], ["x1y2z", ""], "x1y2z<|3|$>", [["3"]]),
        row("a.b a.bb", true, ["b"], ["a.b a.b", ""], "a.b a.b<|b|$>", [["b"]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?i)ǅ",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "[\\d\\s]+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row(
          "ab\u{a}cd\u{a}", true, ["\u{a}", "\u{a}"], ["ab", "cd", ""], "ab<|\u{a}|$>cd<|\u{a}|$>",
          [["\u{a}"], ["\u{a}"]]),
        row("Foo BAR baz", true, [" ", " "], ["Foo", "BAR", "baz"], "Foo<| |$>BAR<| |$>baz", [[" "], [" "]]),
        row("STRASSE straße", true, [" "], ["STRASSE", "straße"], "STRASSE<| |$>straße", [[" "]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, [" ", " 123"], ["αβγ", "ABC", ""], "αβγ<| |$>ABC<| 123|$>", [[" "], [" 123"]]),
        row("x1y2z3", true, ["1", "2", "3"], ["x", "y", "z", ""], "x<|1|$>y<|2|$>z<|3|$>", [["1"], ["2"]]),
        row("a.b a.bb", true, [" "], ["a.b", "a.bb"], "a.b<| |$>a.bb", [[" "]]),
        row("😀 ą", true, [" "], ["😀", "ą"], "😀<| |$>ą", [[" "]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["\u{9} ", "\u{a}"], ["", "\u{b}", ""], "<|\u{9} |$>\u{b}<|\u{a}|$>",
          [["\u{9} "], ["\u{a}"]]),
      ]),
    valid(
      "[^\\d\\s]+",
      [
        row("", false, [], [""], "", []),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["abcd"], ["", ""], "<|abcd|$>", [["abcd"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "cd"], ["", "\u{a}", "\u{a}"], "<|ab|$>\u{a}<|cd|$>\u{a}", [["ab"], ["cd"]]),
        row(
          "Foo BAR baz", true, ["Foo", "BAR", "baz"], ["", " ", " ", ""], "<|Foo|$> <|BAR|$> <|baz|$>",
          [["Foo"], ["BAR"]]),
        row(
          "STRASSE straße", true, ["STRASSE", "straße"], ["", " ", ""], "<|STRASSE|$> <|straße|$>",
          [["STRASSE"], ["straße"]]),
        row("kKK", true, ["kKK"], ["", ""], "<|kKK|$>", [["kKK"]]),
        row("αβγ ABC 123", true, ["αβγ", "ABC"], ["", " ", " 123"], "<|αβγ|$> <|ABC|$> 123", [["αβγ"], ["ABC"]]),
        row("x1y2z3", true, ["x", "y", "z"], ["", "1", "2", "3"], "<|x|$>1<|y|$>2<|z|$>3", [["x"], ["y"]]),
        row("a.b a.bb", true, ["a.b", "a.bb"], ["", " ", ""], "<|a.b|$> <|a.bb|$>", [["a.b"], ["a.bb"]]),
        row("😀 ą", true, ["😀", "ą"], ["", " ", ""], "<|😀|$> <|ą|$>", [["😀"], ["ą"]]),
        row("\u{9} \u{b}\u{a}", true, ["\u{b}"], ["\u{9} ", "\u{a}"], "\u{9} <|\u{b}|$>\u{a}", [["\u{b}"]]),
      ]),
    valid(
      "(?m:^a)b",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["ab"], ["", "cd"], "<|ab|$>cd", [["ab"]]),
        row("ab\u{a}cd\u{a}", true, ["ab"], ["", "\u{a}cd\u{a}"], "<|ab|$>\u{a}cd\u{a}", [["ab"]]),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "a(?i)b|c",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["ab", "c"], ["", "", "d"], "<|ab|$><|c|$>d", [["ab"], ["c"]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "c"], ["", "\u{a}", "d\u{a}"], "<|ab|$>\u{a}<|c|$>d\u{a}", [["ab"], ["c"]]),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["C"], ["αβγ AB", " 123"], "αβγ AB<|C|$> 123", [["C"]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?i)a(?-i)b",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["ab"], ["", "cd"], "<|ab|$>cd", [["ab"]]),
        row("ab\u{a}cd\u{a}", true, ["ab"], ["", "\u{a}cd\u{a}"], "<|ab|$>\u{a}cd\u{a}", [["ab"]]),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?i-s:a.)",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", true, ["aa"], ["", "a"], "<|aa|$>a", [["aa"]]),
        row("abcd", true, ["ab"], ["", "cd"], "<|ab|$>cd", [["ab"]]),
        row("ab\u{a}cd\u{a}", true, ["ab"], ["", "\u{a}cd\u{a}"], "<|ab|$>\u{a}cd\u{a}", [["ab"]]),
        row("Foo BAR baz", true, ["AR", "az"], ["Foo B", " b", ""], "Foo B<|AR|$> b<|az|$>", [["AR"], ["az"]]),
        row(
          "STRASSE straße", true, ["AS", "aß"], ["STR", "SE str", "e"], "STR<|AS|$>SE str<|aß|$>e", [["AS"], ["aß"]]),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["AB"], ["αβγ ", "C 123"], "αβγ <|AB|$>C 123", [["AB"]]),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", true, ["a.", "a."], ["", "b ", "bb"], "<|a.|$>b <|a.|$>bb", [["a."], ["a."]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    invalid("(a)\\1", "error parsing regexp: invalid escape sequence: `\\1`", valid: false),
    invalid("a(?=b)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`", valid: false),
    // Go 1.22 and later read `(?<` as a named group (Go 1.19 said "invalid or unsupported Perl syntax").
    invalid("(?<=a)b", "error parsing regexp: invalid named capture: `(?<=a)b`", valid: false),
    invalid("(?<!a)b", "error parsing regexp: invalid named capture: `(?<!a)b`", valid: false),
    invalid("(?>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?>`", valid: false),
    invalid("a++", "error parsing regexp: invalid nested repetition operator: `++`", valid: false),
    invalid("a*?+", "error parsing regexp: invalid nested repetition operator: `*?+`", valid: false),
    invalid("a**", "error parsing regexp: invalid nested repetition operator: `**`", valid: false),
    invalid("++", "error parsing regexp: missing argument to repetition operator: `+`", valid: false),
    invalid("*", "error parsing regexp: missing argument to repetition operator: `*`", valid: false),
    invalid("a|*", "error parsing regexp: missing argument to repetition operator: `*`", valid: false),
    invalid("(*)", "error parsing regexp: missing argument to repetition operator: `*`", valid: false),
    invalid("[a", "error parsing regexp: missing closing ]: `[a`", valid: false),
    invalid("[a-", "error parsing regexp: missing closing ]: `[a-`", valid: false),
    invalid("(a", "error parsing regexp: missing closing ): `(a`", valid: false),
    invalid("a)", "error parsing regexp: unexpected ): `a)`", valid: false),
    invalid("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`", valid: false),
    invalid("a{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`", valid: false),
    invalid("(a{500}){3}", "error parsing regexp: invalid repeat count: `{3}`", valid: false),
    invalid("((a{10}){10}){11}", "error parsing regexp: invalid repeat count: `{11}`", valid: false),
    invalid("\\Z", "error parsing regexp: invalid escape sequence: `\\Z`", valid: false),
    invalid("\\C", "error parsing regexp: invalid escape sequence: `\\C`", valid: false),
    invalid("a\\", "error parsing regexp: trailing backslash at end of expression: ``", valid: false),
    invalid("[z-a]", "error parsing regexp: invalid character class range: `z-a`", valid: false),
    invalid("[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`", valid: false),
    invalid("\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`", valid: false),
    invalid("\\p", "error parsing regexp: invalid character class range: `\\p`", valid: false),
    invalid("\\pX", "error parsing regexp: invalid character class range: `\\pX`", valid: false),
    invalid("\\p{", "error parsing regexp: invalid character class range: `\\p{`", valid: false),
    invalid("(?#c)", "error parsing regexp: invalid or unsupported Perl syntax: `(?#`", valid: false),
    invalid("(?P=n)", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`", valid: false),
    invalid("(?P<n>a)(?P=n)", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`", valid: false),
    invalid("(?P<>a)", "error parsing regexp: invalid named capture: `(?P<>`", valid: false),
    invalid("(?P<a-b>x)", "error parsing regexp: invalid named capture: `(?P<a-b>`", valid: false),
    invalid("(?'n'a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?'`", valid: false),
    invalid("\\8", "error parsing regexp: invalid escape sequence: `\\8`", valid: false),
    invalid("\\xZZ", "error parsing regexp: invalid escape sequence: `\\xZZ`", valid: false),
    invalid("\\x{zz}", "error parsing regexp: invalid escape sequence: `\\x{z`", valid: false),
    invalid("\\x{110000}", "error parsing regexp: invalid escape sequence: `\\x{110000`", valid: false),
    invalid("\\x", "error parsing regexp: invalid escape sequence: `\\x`", valid: false),
    invalid("\\x4", "error parsing regexp: invalid escape sequence: `\\x4`", valid: false),
    invalid("[\\b]", "error parsing regexp: invalid escape sequence: `\\b`", valid: false),
    invalid("\\é", "error parsing regexp: invalid escape sequence: `\\é`", valid: false),
    invalid("(?i", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`", valid: false),
    invalid("(?", "error parsing regexp: invalid or unsupported Perl syntax: `(?`", valid: false),
    invalid("(?-)", "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`", valid: false),
    invalid("(?i-)", "error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`", valid: false),
    invalid("(?--i)", "error parsing regexp: invalid or unsupported Perl syntax: `(?--`", valid: false),
    invalid("(?z)", "error parsing regexp: invalid or unsupported Perl syntax: `(?z`", valid: false),
    valid(
      "x{1000}y{1000}",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    invalid("(?:a{1000}){2}", "error parsing regexp: invalid repeat count: `{2}`", valid: false),
    invalid("\\q", "error parsing regexp: invalid escape sequence: `\\q`", valid: false),
    invalid("[a-\\d]", "error parsing regexp: invalid escape sequence: `\\d`", valid: false),
    valid(
      "[\\d-z]+",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", false, [], ["abcd"], "abcd", []),
        row("ab\u{a}cd\u{a}", false, [], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}", []),
        row("Foo BAR baz", true, ["z"], ["Foo BAR ba", ""], "Foo BAR ba<|z|$>", [["z"]]),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", true, ["123"], ["αβγ ABC ", ""], "αβγ ABC <|123|$>", [["123"]]),
        row("x1y2z3", true, ["1", "2z3"], ["x", "y", ""], "x<|1|$>y<|2z3|$>", [["1"], ["2z3"]]),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    invalid("[[:alpha:]", "error parsing regexp: missing closing ]: `[[:alpha:]`", valid: false),
    valid(
      "\\Q",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "(?i)\\Q",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "(|a)",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "a|",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["a", "a", "a"], ["", "", "", ""], "<|a|$><|a|$><|a|$>", [["a"], ["a"]]),
        row("abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<|a|$>b<||$>c<||$>d<||$>", [["a"], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a"], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<|a|$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<|a|$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<|a|$>.<||$>b<||$> <|a|$>.<||$>b<||$>b<||$>", [["a"], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "|",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "()",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(?:)",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "^*",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "$+",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, [""], ["a"], "a<||$>", [[""]]),
        row("aaa", true, [""], ["aaa"], "aaa<||$>", [[""]]),
        row("abcd", true, [""], ["abcd"], "abcd<||$>", [[""]]),
        row("ab\u{a}cd\u{a}", true, [""], ["ab\u{a}cd\u{a}"], "ab\u{a}cd\u{a}<||$>", [[""]]),
        row("Foo BAR baz", true, [""], ["Foo BAR baz"], "Foo BAR baz<||$>", [[""]]),
        row("STRASSE straße", true, [""], ["STRASSE straße"], "STRASSE straße<||$>", [[""]]),
        row("kKK", true, [""], ["kKK"], "kKK<||$>", [[""]]),
        row("αβγ ABC 123", true, [""], ["αβγ ABC 123"], "αβγ ABC 123<||$>", [[""]]),
        row("x1y2z3", true, [""], ["x1y2z3"], "x1y2z3<||$>", [[""]]),
        row("a.b a.bb", true, [""], ["a.b a.bb"], "a.b a.bb<||$>", [[""]]),
        row("😀 ą", true, [""], ["😀 ą"], "😀 ą<||$>", [[""]]),
        row("\u{9} \u{b}\u{a}", true, [""], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}<||$>", [[""]]),
      ]),
    valid(
      "\\b*",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    invalid("(?i)*", "error parsing regexp: missing argument to repetition operator: `*`", valid: false),
    valid(
      "a(?i)*",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa"]]),
        row("abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<|a|$>b<||$>c<||$>d<||$>", [["a"], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a"], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<|a|$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<|a|$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<|a|$>.<||$>b<||$> <|a|$>.<||$>b<||$>b<||$>", [["a"], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "(|a)*",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(|a)+",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a??)*",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(?:|a)*",
      [
        row("", true, [""], [""], "<||$>", [[""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [[""], [""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [[""], [""]]),
        row("abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>", [[""], [""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [[""], [""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [[""], [""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>", [[""], [""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [[""], [""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [[""], [""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [[""], [""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [[""], [""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [[""], [""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [[""], [""]]),
      ]),
    valid(
      "(a*?)+",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a|)*b",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["ab"], ["", "cd"], "<a|ab|$>cd", [["ab", "a"]]),
        row("ab\u{a}cd\u{a}", true, ["ab"], ["", "\u{a}cd\u{a}"], "<a|ab|$>\u{a}cd\u{a}", [["ab", "a"]]),
        row("Foo BAR baz", true, ["b"], ["Foo BAR ", "az"], "Foo BAR <|b|$>az", [["b", ""]]),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row(
          "a.b a.bb", true, ["b", "b", "b"], ["a.", " a.", "", ""], "a.<|b|$> a.<|b|$><|b|$>", [["b", ""], ["b", ""]]),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(a*){2,}",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a", ""]]),
        row("aaa", true, ["aaa"], ["", ""], "<|aaa|$>", [["aaa", ""]]),
        row(
          "abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<|a|$>b<||$>c<||$>d<||$>", [["a", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<|a|$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<|a|$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<|a|$>.<||$>b<||$> <|a|$>.<||$>b<||$>b<||$>", [["a", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a?){3,}",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["a"], ["", ""], "<|a|$>", [["a", ""]]),
        row("aaa", true, ["aaa"], ["", ""], "<a|aaa|$>", [["aaa", "a"]]),
        row(
          "abcd", true, ["a", "", "", ""], ["", "b", "c", "d"], "<|a|$>b<||$>c<||$>d<||$>", [["a", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["a", "", "", "", "", ""], ["", "b", "\u{a}", "c", "d", "\u{a}"],
          "<|a|$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["a", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<|a|$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<|a|$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["a", "", "", "a", "", "", ""], ["", ".", "b", " ", ".", "b", "b"],
          "<|a|$>.<||$>b<||$> <|a|$>.<||$>b<||$>b<||$>", [["a", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(|a){2,}",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a*)*?",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "", "", ""], ["a", "a", "a"], "<||$>a<||$>a<||$>a<||$>", [["", ""], ["", ""]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "a", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<||$>a<||$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "a", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<||$>a<||$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(a|b|)+?c",
      [
        row("", false, [], [""], "", []),
        row("a", false, [], ["a"], "a", []),
        row("aaa", false, [], ["aaa"], "aaa", []),
        row("abcd", true, ["abc"], ["", "d"], "<b|abc|$>d", [["abc", "b"]]),
        row("ab\u{a}cd\u{a}", true, ["c"], ["ab\u{a}", "d\u{a}"], "ab\u{a}<|c|$>d\u{a}", [["c", ""]]),
        row("Foo BAR baz", false, [], ["Foo BAR baz"], "Foo BAR baz", []),
        row("STRASSE straße", false, [], ["STRASSE straße"], "STRASSE straße", []),
        row("kKK", false, [], ["kKK"], "kKK", []),
        row("αβγ ABC 123", false, [], ["αβγ ABC 123"], "αβγ ABC 123", []),
        row("x1y2z3", false, [], ["x1y2z3"], "x1y2z3", []),
        row("a.b a.bb", false, [], ["a.b a.bb"], "a.b a.bb", []),
        row("😀 ą", false, [], ["😀 ą"], "😀 ą", []),
        row("\u{9} \u{b}\u{a}", false, [], ["\u{9} \u{b}\u{a}"], "\u{9} \u{b}\u{a}", []),
      ]),
    valid(
      "(?:(a)|b|)*",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["a"], ["", ""], "<a|a|$>", [["a", "a"]]),
        row("aaa", true, ["aaa"], ["", ""], "<a|aaa|$>", [["aaa", "a"]]),
        row("abcd", true, ["ab", "", ""], ["", "c", "d"], "<a|ab|$>c<||$>d<||$>", [["ab", "a"], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["ab", "", "", "", ""], ["", "\u{a}", "c", "d", "\u{a}"],
          "<a|ab|$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["ab", "a"], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "ba", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <a|ba|$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<a|a|$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["a", "b", "a", "bb"], ["", ".", " ", ".", ""], "<a|a|$>.<|b|$> <a|a|$>.<|bb|$>",
          [["a", "a"], ["b", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
    valid(
      "(^|a)+",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, [""], ["a"], "<||$>a", [["", ""]]),
        row("aaa", true, ["", "aa"], ["a", ""], "<||$>a<a|aa|$>", [["", ""], ["aa", "a"]]),
        row("abcd", true, [""], ["abcd"], "<||$>abcd", [["", ""]]),
        row("ab\u{a}cd\u{a}", true, [""], ["ab\u{a}cd\u{a}"], "<||$>ab\u{a}cd\u{a}", [["", ""]]),
        row("Foo BAR baz", true, ["", "a"], ["Foo BAR b", "z"], "<||$>Foo BAR b<a|a|$>z", [["", ""], ["a", "a"]]),
        row(
          "STRASSE straße", true, ["", "a"], ["STRASSE str", "ße"], "<||$>STRASSE str<a|a|$>ße",
          [["", ""], ["a", "a"]]),
        row("kKK", true, [""], ["kKK"], "<||$>kKK", [["", ""]]),
        row("αβγ ABC 123", true, [""], ["αβγ ABC 123"], "<||$>αβγ ABC 123", [["", ""]]),
        row("x1y2z3", true, [""], ["x1y2z3"], "<||$>x1y2z3", [["", ""]]),
        row("a.b a.bb", true, ["", "a"], ["a.b ", ".bb"], "<||$>a.b <a|a|$>.bb", [["", ""], ["a", "a"]]),
        row("😀 ą", true, [""], ["😀 ą"], "<||$>😀 ą", [["", ""]]),
        row("\u{9} \u{b}\u{a}", true, [""], ["\u{9} \u{b}\u{a}"], "<||$>\u{9} \u{b}\u{a}", [["", ""]]),
      ]),
    valid(
      "(\\b|a)*",
      [
        row("", true, [""], [""], "<||$>", [["", ""]]),
        row("a", true, ["", ""], ["a"], "<||$>a<||$>", [["", ""], ["", ""]]),
        row("aaa", true, ["", "aa"], ["a", ""], "<||$>a<a|aa|$>", [["", ""], ["aa", "a"]]),
        row(
          "abcd", true, ["", "", "", "", ""], ["a", "b", "c", "d"], "<||$>a<||$>b<||$>c<||$>d<||$>",
          [["", ""], ["", ""]]),
        row(
          "ab\u{a}cd\u{a}", true, ["", "", "", "", "", "", ""], ["a", "b", "\u{a}", "c", "d", "\u{a}"],
          "<||$>a<||$>b<||$>\u{a}<||$>c<||$>d<||$>\u{a}<||$>", [["", ""], ["", ""]]),
        row(
          "Foo BAR baz", true, ["", "", "", "", "", "", "", "", "", "a", ""],
          ["F", "o", "o", " ", "B", "A", "R", " ", "b", "z"],
          "<||$>F<||$>o<||$>o<||$> <||$>B<||$>A<||$>R<||$> <||$>b<a|a|$>z<||$>", [["", ""], ["", ""]]),
        row(
          "STRASSE straße", true, ["", "", "", "", "", "", "", "", "", "", "", "a", "", ""],
          ["S", "T", "R", "A", "S", "S", "E", " ", "s", "t", "r", "ß", "e"],
          "<||$>S<||$>T<||$>R<||$>A<||$>S<||$>S<||$>E<||$> <||$>s<||$>t<||$>r<a|a|$>ß<||$>e<||$>",
          [["", ""], ["", ""]]),
        row("kKK", true, ["", "", "", ""], ["k", "K", "K"], "<||$>k<||$>K<||$>K<||$>", [["", ""], ["", ""]]),
        row(
          "αβγ ABC 123", true, ["", "", "", "", "", "", "", "", "", "", "", ""],
          ["α", "β", "γ", " ", "A", "B", "C", " ", "1", "2", "3"],
          "<||$>α<||$>β<||$>γ<||$> <||$>A<||$>B<||$>C<||$> <||$>1<||$>2<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "x1y2z3", true, ["", "", "", "", "", "", ""], ["x", "1", "y", "2", "z", "3"],
          "<||$>x<||$>1<||$>y<||$>2<||$>z<||$>3<||$>", [["", ""], ["", ""]]),
        row(
          "a.b a.bb", true, ["", "", "", "", "", "", "", "", ""], ["a", ".", "b", " ", "a", ".", "b", "b"],
          "<||$>a<||$>.<||$>b<||$> <||$>a<||$>.<||$>b<||$>b<||$>", [["", ""], ["", ""]]),
        row("😀 ą", true, ["", "", "", ""], ["😀", " ", "ą"], "<||$>😀<||$> <||$>ą<||$>", [["", ""], ["", ""]]),
        row(
          "\u{9} \u{b}\u{a}", true, ["", "", "", "", ""], ["\u{9}", " ", "\u{b}", "\u{a}"],
          "<||$>\u{9}<||$> <||$>\u{b}<||$>\u{a}<||$>", [["", ""], ["", ""]]),
      ]),
  ]

  @Test("generated table")
  func table() throws {
    for goCase in Self.cases {
      let pattern = Value.string(goCase.pattern)
      #expect(try call("regex.is_valid", pattern) == .bool(goCase.valid), "\(goCase.pattern)")
      if let error = goCase.error {
        #expect(throws: BuiltinError.failure(error), "\(goCase.pattern)") { try call("regex.match", pattern, "") }
        continue
      }
      for row in goCase.rows {
        let subject = Value.string(row.subject)
        let context = "\(goCase.pattern) on \(row.subject.debugDescription)"
        #expect(try call("regex.match", pattern, subject) == .bool(row.matches), "\(context)")
        #expect(try call("regex.find_n", pattern, subject, -1) == strings(row.all), "\(context)")
        #expect(try call("regex.split", pattern, subject) == strings(row.split), "\(context)")
        #expect(try call("regex.replace", subject, pattern, "<$1|${0}|$$>") == .string(row.replaced), "\(context)")
        #expect(
          try call("regex.find_all_string_submatch_n", pattern, subject, 2) == .array(row.submatches.map(strings)),
          "\(context)")
      }
    }
  }
}

@Suite("regex limits")
struct RegexLimitTests {
  @Test("deep nesting is an error, not a stack overflow")
  func deepNesting() throws {
    let pattern = String(repeating: "(", count: 5000) + "a" + String(repeating: ")", count: 5000)
    #expect(throws: BuiltinError.failure("error parsing regexp: expression nests too deeply: `\(pattern)`")) {
      try call("regex.match", .string(pattern), "a")
    }
    #expect(try call("regex.is_valid", .string(pattern)) == false)
  }

  @Test("catastrophic backtracking stops at the match limit")
  func backtracking() throws {
    let subject = Value.string(String(repeating: "a", count: 40) + "!")
    do {
      let result = try call("regex.match", "^(a|aa)+$", subject)
      #expect(result == false)
    } catch let error as BuiltinError {
      #expect(error.kind == .builtin)
    }
  }

  @Test("regex.globs_match gives up on exponential searches")
  func globsBudget() throws {
    let many = String(repeating: ".*", count: 60) + "b"
    let other = String(repeating: "a*", count: 60) + "c"
    do {
      _ = try call("regex.globs_match", .string(many), .string(other))
    } catch let error as BuiltinError {
      #expect(error == .failure("globs too complex to intersect"))
    }
  }
}

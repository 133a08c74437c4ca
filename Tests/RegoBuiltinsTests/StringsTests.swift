import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ text: String) -> Value { .number(Number(literal: text)!) }

private func typeError(_ message: String) -> BuiltinError { BuiltinError(.type, message) }

@Suite("strings builtins")
struct StringsTests {
  @Test("concat joins arrays and sets (sets in sorted order)")
  func concat() throws {
    #expect(try call("concat", "/", ["", "foo", "bar", "0", "baz"]) == "/foo/bar/0/baz")
    #expect(try call("concat", "", ["f", "o", "o"]) == "foo")
    #expect(try call("concat", ",", .set(ValueSet(["b", "a", "c"]))) == "a,b,c")
    #expect(try call("concat", ",", []) == "")
    #expect(try call("concat", ",", .set(ValueSet())) == "")
    #expect(throws: typeError("operand 2 must be array of strings but got array containing number")) {
      try call("concat", ",", ["a", 1])
    }
    #expect(throws: typeError("operand 2 must be set of strings but got set containing number")) {
      try call("concat", ",", .set(ValueSet([1])))
    }
    #expect(throws: typeError("operand 2 must be one of {set, array} but got string")) {
      try call("concat", ",", "ab")
    }
    #expect(throws: typeError("operand 1 must be string but got number")) { try call("concat", 1, ["a"]) }
  }

  @Test("contains, startswith and endswith compare bytes")
  func containment() throws {
    #expect(try call("contains", "abcdefgh", "defg") == true)
    #expect(try call("contains", "abcdefgh", "ac") == false)
    #expect(try call("contains", "abc", "") == true)
    #expect(try call("startswith", "abcdefgh", "bcd") == false)
    #expect(try call("startswith", "abcdefgh", "abc") == true)
    #expect(try call("endswith", "abcdefgh", "fgh") == true)
    #expect(try call("endswith", "abcdefgh", "fg") == false)
    // Precomposed é is not e + combining acute, as in Go.
    #expect(try call("contains", "caf\u{E9}", "e\u{301}") == false)
    #expect(try call("endswith", "e\u{301}", "\u{301}") == true)
  }

  @Test("format_int truncates toward zero")
  func formatInt() throws {
    #expect(try call("format_int", number("15.5"), 16) == "f")
    #expect(try call("format_int", number("3.1"), 10) == "3")
    #expect(try call("format_int", 10, 2) == "1010")
    #expect(try call("format_int", 64, 8) == "100")
    #expect(try call("format_int", 255, 16) == "ff")
    #expect(try call("format_int", -255, 16) == "-ff")
    #expect(try call("format_int", number("-3.9"), 10) == "-3")
    #expect(try call("format_int", number("-0.5"), 10) == "0")
    #expect(try call("format_int", number("12345678901234567890123"), 10) == "12345678901234567889920")
    #expect(try call("format_int", number("1e20"), 16) == "56bc75e2d63100000")
    #expect(throws: typeError("operand 2 must be one of {2, 8, 10, 16}")) { try call("format_int", 1, 3) }
    #expect(throws: typeError("operand 2 must be one of {2, 8, 10, 16}")) { try call("format_int", 1, number("2.0")) }
    #expect(throws: typeError("operand 1 must be number but got string")) { try call("format_int", "1", 10) }
  }

  @Test("indexof counts code points")
  func indexOf() throws {
    #expect(try call("indexof", "abcdefgh", "cde") == 2)
    #expect(try call("indexof", "abcabcabcdefgh", "cde") == 8)
    #expect(try call("indexof", "abcdefgh", "xyz") == -1)
    #expect(try call("indexof", "μx", "x") == 1)
    #expect(try call("indexof", "μ", "μμ") == -1)
    #expect(try call("indexof", "skön var våren", "vår") == 9)
    #expect(try call("indexof", "🍧🍨🧁🍰🍮", "🍮") == 4)
    #expect(try call("indexof", "🍧🍨🧁🍰🍮", "🍧🍨🧁🍰🍮") == 0)
    #expect(throws: BuiltinError.failure("empty search character")) { try call("indexof", "abc", "") }
  }

  @Test("indexof_n finds every occurrence")
  func indexOfN() throws {
    #expect(try call("indexof_n", "dogcat", "cat") == [3])
    #expect(try call("indexof_n", "dogcatdogcat", "cat") == [3, 9])
    #expect(try call("indexof_n", "dogcat", "rabbit") == [])
    #expect(try call("indexof_n", "😇😀😇😀😇😀", "😀") == [1, 3, 5])
    #expect(try call("indexof_n", "😇😀😇😀😇😀", "😂") == [])
    #expect(try call("indexof_n", "aaa", "aa") == [0, 1])
    #expect(throws: BuiltinError.failure("empty search character")) { try call("indexof_n", "abc", "") }
  }

  @Test("lower and upper use Go's simple case mapping")
  func caseMapping() throws {
    #expect(try call("upper", "AbCdEf") == "ABCDEF")
    #expect(try call("lower", "AbCdEf") == "abcdef")
    #expect(try call("upper", "straße") == "STRAßE")
    #expect(try call("lower", "ÅÄÖ") == "åäö")
    #expect(try call("lower", "\u{130}") == "i")
    #expect(try call("upper", "\u{1F80}") == "\u{1F88}")
    #expect(try call("upper", "ﬀ") == "ﬀ")
  }

  @Test("replace and strings.replace_n")
  func replace() throws {
    #expect(try call("replace", "", "hi", "bye") == "")
    #expect(try call("replace", "foo.bar", ".", ",") == "foo,bar")
    #expect(try call("replace", "foo.bar.baz", ".", ",") == "foo,bar,baz")
    #expect(try call("replace", "foo...bar", "..", ",,") == "foo,,.bar")
    #expect(try call("replace", "abc", "", "-") == "-a-b-c-")
    #expect(
      try call("strings.replace_n", ["<": "&lt;", ">": "&gt;"], "This is <b>HTML</b>!")
        == "This is &lt;b&gt;HTML&lt;/b&gt;!")
    #expect(try call("strings.replace_n", ["f": "x", "foo": "xxx"], "foobar") == "xoobar")
    #expect(try call("strings.replace_n", ["foo": "xxx", "f": "x"], "foo") == "xoo")
    #expect(
      try call("strings.replace_n", ["old1": "new1", "old2": "new2"], "Everything is new1, new2")
        == "Everything is new1, new2")
    #expect(throws: typeError("operand 1 non-string key found in pattern object")) {
      try call("strings.replace_n", [2: "x"], "foo")
    }
    #expect(throws: typeError("operand 1 non-string value found in pattern object")) {
      try call("strings.replace_n", ["f": 100], "foo")
    }
    #expect(throws: typeError("operand 2 must be string but got number")) {
      try call("strings.replace_n", ["foo": "baz"], 100)
    }
  }

  @Test("split follows strings.Split")
  func split() throws {
    #expect(try call("split", "foo.bar.baz", ".") == ["foo", "bar", "baz"])
    #expect(try call("split", "foo", ".") == ["foo"])
    #expect(try call("split", "", ".") == [""])
    #expect(try call("split", "a..b.", ".") == ["a", "", "b", ""])
    #expect(try call("split", "åb", "") == ["å", "b"])
    #expect(try call("split", "", "") == [])
  }

  @Test("substring counts code points")
  func substring() throws {
    #expect(try call("substring", "abcdefgh", 2, 3) == "cde")
    #expect(try call("substring", "åäö", 0, 2) == "åä")
    #expect(try call("substring", "aaa", 3, -1) == "")
    #expect(try call("substring", "åäö", 3, -1) == "")
    #expect(try call("substring", "abcdef", 2, -1) == "cdef")
    #expect(try call("substring", "abcdef", 2, 100) == "cdef")
    #expect(try call("substring", "abc", 1, Value.int(Int.max)) == "bc")
    #expect(throws: BuiltinError.failure("negative offset")) { try call("substring", "aaa", -1, -1) }
    #expect(throws: BuiltinError.failure("negative offset")) { try call("substring", "åäö", -1, -1) }
    #expect(throws: typeError("operand 2 must be integer number but got floating-point number")) {
      try call("substring", "abc", number("1.5"), 1)
    }
    #expect(throws: typeError("operand 3 must be integer number but got floating-point number")) {
      try call("substring", "abc", 1, number("1.0"))
    }
  }

  @Test("trim family")
  func trim() throws {
    #expect(try call("trim", "", ".") == "")
    #expect(try call("trim", "foo.bar...", ".") == "foo.bar")
    #expect(try call("trim", "...foo.bar", ".") == "foo.bar")
    #expect(try call("trim", "...foo.bar...", ".") == "foo.bar")
    #expect(try call("trim", "...foo.bar...", ".fr") == "oo.ba")
    #expect(try call("trim", "...foo.bar...", ".o") == "foo.bar")
    #expect(try call("trim", "¡¡¡foo, bar!!!", "!¡") == "foo, bar")
    #expect(try call("trim", "¡¡¡foo, bar!!!", "i") == "¡¡¡foo, bar!!!")
    #expect(try call("trim_left", "¡¡¡foo, bar!!!", "!¡") == "foo, bar!!!")
    #expect(try call("trim_right", "¡¡¡foo, bar!!!", "!¡") == "¡¡¡foo, bar")
    #expect(try call("trim_prefix", "¡¡¡foo, bar!!!", "¡¡¡foo") == ", bar!!!")
    #expect(try call("trim_prefix", "foo", "bar") == "foo")
    #expect(try call("trim_suffix", "¡¡¡foo, bar!!!", ", bar!!!") == "¡¡¡foo")
    #expect(try call("trim_suffix", "¡¡¡foo, bar!!!", ", foo!!!") == "¡¡¡foo, bar!!!")
    #expect(try call("trim_space", " \t\n foo, bar \n\t\r\n") == "foo, bar")
    #expect(try call("trim_space", "foo, bar") == "foo, bar")
    #expect(try call("trim_space", "\u{A0}\u{2003}x\u{85}") == "x")
    #expect(try call("trim_space", "\u{200B}x") == "\u{200B}x")
  }

  @Test("strings.reverse and strings.count")
  func reverseAndCount() throws {
    #expect(try call("strings.reverse", "abc") == "cba")
    #expect(try call("strings.reverse", "åäö😀") == "😀öäå")
    #expect(try call("strings.count", "cheese", "e") == 3)
    #expect(try call("strings.count", "aaaa", "aa") == 2)
    #expect(try call("strings.count", "five", "") == 5)
    #expect(try call("strings.count", "åä", "") == 3)
  }

  @Test("strings.any_prefix_match and any_suffix_match")
  func anyMatch() throws {
    let strings: Value = ["a/b/c", "a/b/d", "e/f/g"]
    #expect(try call("strings.any_prefix_match", strings, ["a/", "d/"]) == true)
    #expect(try call("strings.any_prefix_match", strings, ["f/", "d/"]) == false)
    #expect(try call("strings.any_prefix_match", strings, ["d/", "e/f/g"]) == true)
    #expect(try call("strings.any_prefix_match", ["aa/bb/cc"], ["a/b", "e/f"]) == false)
    #expect(try call("strings.any_prefix_match", [], ["a/b"]) == false)
    #expect(try call("strings.any_prefix_match", strings, []) == false)
    #expect(try call("strings.any_prefix_match", strings, "a/") == true)
    #expect(try call("strings.any_prefix_match", "a/b/c", ["g/", "d/"]) == false)
    #expect(try call("strings.any_prefix_match", .set(ValueSet(["a/b/c"])), .set(ValueSet(["a/"]))) == true)
    #expect(try call("strings.any_suffix_match", strings, ["/c", "/a"]) == true)
    #expect(try call("strings.any_suffix_match", strings, ["/f", "/a"]) == false)
    #expect(try call("strings.any_suffix_match", ["aa/bb/cc"], ["b/cc"]) == true)
    #expect(try call("strings.any_suffix_match", "a/b/g", ["/c", "/a"]) == false)
    #expect(throws: typeError("operand 1 must be array of strings but got array containing number")) {
      try call("strings.any_prefix_match", [1, 2, 3], ["f/"])
    }
    #expect(throws: typeError("operand 1 must be one of {string, set, array} but got number")) {
      try call("strings.any_prefix_match", 1, ["f/"])
    }
    #expect(throws: typeError("operand 2 must be array of strings but got array containing number")) {
      try call("strings.any_suffix_match", strings, [1, 2])
    }
    #expect(throws: typeError("operand 2 must be one of {string, set, array} but got number")) {
      try call("strings.any_suffix_match", strings, 1)
    }
  }
}

import PolicyCore
import RegoBuiltins
import Testing

private func sprintf(_ format: String, _ arguments: [Value]) throws -> Value {
  try BuiltinRegistry.standard["sprintf"]!.implementation(
    BuiltinArguments([.string(format), .array(arguments)]), BuiltinContext(now: 0))
}

private func number(_ text: String) -> Value { .number(Number(literal: text)!) }

@Suite("sprintf")
struct SprintfTests {
  @Test("conformance examples")
  func conformance() throws {
    #expect(try sprintf("hi", []) == "hi")
    #expect(try sprintf("hi %s", ["there"]) == "hi there")
    #expect(try sprintf("hi %02d", [5]) == "hi 05")
    #expect(try sprintf("hi %02X.%02X", [127, 1]) == "hi 7F.01")
    #expect(try sprintf("hi %v", [number("2e308")]) == "hi 2e308")
    #expect(try sprintf("hi %s", [true]) == "hi true")
    #expect(try sprintf("hi %v", [["there", 5, number("3.14")]]) == "hi [\"there\", 5, 3.14]")
    #expect(try sprintf("%s", [number("123456789123456789123")]) == "123456789123456789123")
    #expect(try sprintf("%s", [number("1208925819614629174706175")]) == "1208925819614629174706175")
  }

  @Test("Rego values print as Rego text")
  func regoText() throws {
    #expect(try sprintf("%v", [["a": 1]]) == "{\"a\": 1}")
    #expect(try sprintf("securityContext: %v", [["privileged": true]]) == "securityContext: {\"privileged\": true}")
    #expect(try sprintf("%v", [.set(ValueSet())]) == "set()")
    #expect(try sprintf("%v", [.set(ValueSet([2, 1]))]) == "{1, 2}")
    #expect(try sprintf("%v", [Value.null]) == "null")
    #expect(try sprintf("%v", [[1, [2, "x"]]]) == "[1, [2, \"x\"]]")
    #expect(try sprintf("%s", [["a": "b\n\u{7F}é"]]) == "{\"a\": \"b\\n\\x7fé\"}")
    #expect(try sprintf("%v", [[1: "a"]]) == "{1: \"a\"}")
    #expect(try sprintf("%d", [[1]]) == "%!d(string=[1])")
    #expect(try sprintf("%t", [true]) == "%!t(string=true)")
  }

  @Test("Go's bad verb, missing and extra argument forms")
  func errors() throws {
    #expect(try sprintf("%d", [number("1.5")]) == "%!d(float64=1.5)")
    #expect(try sprintf("%s", [5]) == "%!s(int=5)")
    #expect(try sprintf("%d", ["abc"]) == "%!d(string=abc)")
    #expect(try sprintf("%d", []) == "%!d(MISSING)")
    #expect(try sprintf("%d %s", [1]) == "1 %!s(MISSING)")
    #expect(try sprintf("%d", [1, 2]) == "1%!(EXTRA int=2)")
    #expect(try sprintf("%d %s", [1, "a", number("3.5"), "x"]) == "1 a%!(EXTRA float64=3.5, string=x)")
    #expect(try sprintf("%z", [1]) == "%!z(int=1)")
    #expect(try sprintf("%+e", [0]) == "%!e(int=+0)")
    #expect(try sprintf("%5s", [3]) == "%!s(int=    3)")
    #expect(try sprintf("abc%", [1]) == "abc%!(NOVERB)%!(EXTRA int=1)")
    #expect(try sprintf("%[3]d", [1, 2]) == "%!d(BADINDEX)")
    #expect(try sprintf("%[2]d %[1]d", [1, 2]) == "2 1")
    #expect(try sprintf("%[1]d %[1]d", [1, 2]) == "1 1")
    #expect(try sprintf("%*d", [5, 42]) == "   42")
    #expect(try sprintf("%-*d|", [5, 42]) == "42   |")
    #expect(try sprintf("%*d", ["x", 42]) == "%!(BADWIDTH)42")
    #expect(try sprintf("%.*f", [2, number("3.14159")]) == "3.14")
    #expect(try sprintf("%d", [number("12345678901234567890")]) == "12345678901234567890")
    #expect(try sprintf("%q", [number("12345678901234567890")]) == "%!q(big.Int=12345678901234567890)")
    #expect(try sprintf("%d%%", [50]) == "50%")
  }

  @Test("integers")
  func integers() throws {
    #expect(try sprintf("%d", [-42]) == "-42")
    #expect(try sprintf("%+d", [5]) == "+5")
    #expect(try sprintf("% d", [5]) == " 5")
    #expect(try sprintf("%-5d|", [42]) == "42   |")
    #expect(try sprintf("%05d", [-42]) == "-0042")
    #expect(try sprintf("%08.3d", [5]) == "     005")
    #expect(try sprintf("%.0d", [0]) == "")
    #expect(try sprintf("%x", [255]) == "ff")
    #expect(try sprintf("%X", [255]) == "FF")
    #expect(try sprintf("%x", [-255]) == "-ff")
    #expect(try sprintf("%#x", [255]) == "0xff")
    #expect(try sprintf("%#o", [8]) == "010")
    #expect(try sprintf("%O", [8]) == "0o10")
    #expect(try sprintf("%b", [5]) == "101")
    #expect(try sprintf("%#b", [5]) == "0b101")
    #expect(try sprintf("%c", [65]) == "A")
    #expect(try sprintf("%c", [-1]) == "\u{FFFD}")
    #expect(try sprintf("%q", [65]) == "'A'")
    #expect(try sprintf("%U", [0x1F600]) == "U+1F600")
    #expect(try sprintf("%#U", [65]) == "U+0041 'A'")
    #expect(try sprintf("%v", [number("1e2")]) == "100")
    #expect(try sprintf("%T %T %T %T", [1, number("1.5"), "a", [1]]) == "int float64 string string")
    #expect(try sprintf("%T", [number("123456789012345678901")]) == "*big.Int")
    #expect(try sprintf("%x", [number("123456789012345678901")]) == "6b14e9f812f366c35")
    #expect(try sprintf("%+30d|", [number("-123456789012345678901")]) == "        -123456789012345678901|")
    #expect(try sprintf("%#X", [number("123456789012345678901")]) == "0X6B14E9F812F366C35")
    #expect(try sprintf("%025d", [number("123456789012345678901")]) == "0000123456789012345678901")
  }

  @Test("floats")
  func floats() throws {
    #expect(try sprintf("%v", [number("1.0")]) == "1")
    #expect(try sprintf("%v", [number("3.14")]) == "3.14")
    #expect(try sprintf("%v", [number("1e21")]) == "1e+21")
    #expect(try sprintf("%v", [number("123456789.5")]) == "1.234567895e+08")
    #expect(try sprintf("%v", [number("0.000012345")]) == "1.2345e-05")
    #expect(try sprintf("%v", [number("-0.0")]) == "-0")
    #expect(try sprintf("%f", [number("3.14159")]) == "3.141590")
    #expect(try sprintf("%5.2f", [number("3.14159")]) == " 3.14")
    #expect(try sprintf("%-8.3f|", [number("3.14159")]) == "3.142   |")
    #expect(try sprintf("%08.3f", [number("-3.14159")]) == "-003.142")
    #expect(try sprintf("%+.1f", [number("2.25")]) == "+2.2")
    #expect(try sprintf("%.0f %.0f %.0f", [number("0.5"), number("1.5"), number("2.5")]) == "0 2 2")
    #expect(try sprintf("%.2f", [number("1.005")]) == "1.00")
    #expect(try sprintf("%.2f", [number("0.0001")]) == "0.00")
    #expect(try sprintf("%e", [number("1234.5678")]) == "1.234568e+03")
    #expect(try sprintf("%E", [number("1234.5678")]) == "1.234568E+03")
    #expect(try sprintf("%.2e", [number("9.999")]) == "1.00e+01")
    #expect(try sprintf("%g", [number("0.000012345")]) == "1.2345e-05")
    #expect(try sprintf("%.3g", [number("3.14159")]) == "3.14")
    #expect(try sprintf("%.3g", [number("1.0")]) == "1")
    #expect(try sprintf("%#.3g", [number("1.0")]) == "1.00")
    #expect(try sprintf("%.5g", [number("100.0")]) == "100")
    #expect(try sprintf("%G", [number("1e-10")]) == "1E-10")
    #expect(try sprintf("%x", [number("1.5")]) == "0x1.8p+00")
    #expect(try sprintf("%.1x", [number("1.9375")]) == "0x1.fp+00")
    #expect(try sprintf("%.1x", [number("1.96875")]) == "0x1.0p+01")
    #expect(try sprintf("%b", [number("1.0")]) == "4503599627370496p-52")
    #expect(try sprintf("%5.1f%%", [number("99.44")]) == " 99.4%")
    #expect(try sprintf("%010.2f", [number("3.14159")]) == "0000003.14")
    #expect(try sprintf("% .2f", [number("3.14159")]) == " 3.14")
    #expect(try sprintf("%F", [number("1.5")]) == "1.500000")
    #expect(try sprintf("%6.2e", [number("0.000123")]) == "1.23e-04")
  }

  @Test("strings")
  func strings() throws {
    #expect(try sprintf("%5v|", ["ab"]) == "   ab|")
    #expect(try sprintf("%-5s|", ["ab"]) == "ab   |")
    #expect(try sprintf("%05s", ["ab"]) == "000ab")
    #expect(try sprintf("%.2s", ["abc"]) == "ab")
    #expect(try sprintf("%.2s", ["åäö"]) == "åä")
    #expect(try sprintf("%4s|", ["åä"]) == "  åä|")
    #expect(try sprintf("%x", ["hello"]) == "68656c6c6f")
    #expect(try sprintf("% x", ["hello"]) == "68 65 6c 6c 6f")
    #expect(try sprintf("%#x", ["hi"]) == "0x6869")
    #expect(try sprintf("% #X", ["hi"]) == "0X68 0X69")
    #expect(try sprintf("%q", ["a\"b"]) == "\"a\\\"b\"")
    #expect(try sprintf("%#q", ["abc"]) == "`abc`")
    #expect(try sprintf("%+q", ["é"]) == "\"\\u00e9\"")
    #expect(try sprintf("%q", ["\u{1F600}\t"]) == "\"\u{1F600}\\t\"")
    #expect(try sprintf("%#v", ["a"]) == "\"a\"")
    #expect(throws: BuiltinError(.type, "operand 2 must be array but got object")) {
      try BuiltinRegistry.standard["sprintf"]!.implementation(
        BuiltinArguments(["%v", ["a": 1]]), BuiltinContext(now: 0))
    }
  }
}

/// Cases generated by running Go's fmt.Sprintf (Go 1.19) on the operands OPA would pass: numbers
/// as `int`, `*big.Int` or `float64` (or their text), strings as strings.
@Suite("sprintf against Go")
struct SprintfGoTableTests {
  @Test("one operand, flags × width × precision × verb")
  func table() throws {
    let cases: [(String, Value, String)] = [
      ("[%01.12c]", number("1e-7"), "[%!c(float64=1e-07)]"),
      ("[%0#.0t]", number("123456"), "[%!t(int=123456)]"),
      ("[%+012q]", number("55296"), "[0000'\\ufffd']"),
      ("[% 12.3v]", .string("日本語"), "[         日本語]"),
      ("[% 12.0X]", number("-123456789012345678901"), "[-6B14E9F812F366C35]"),
      ("[% 6.o]", number("-3.14159"), "[%!o(float64=    -3)]"),
      ("[%-012.0F]", number("1e-7"), "[0           ]"),
      ("[%-12.3c]", number("3.14159"), "[%!c(float64=3.14        )]"),
      ("[%0#12q]", number("1e-7"), "[%!q(float64=01.00000e-07)]"),
      ("[%+ 1.3f]", .string("日本語"), "[%!f(string=日本語)]"),
      ("[%+.12g]", .string(""), "[%!g(string=)]"),
      ("[%6.U]", number("1.5"), "[%!U(float64=     2)]"),
      ("[%0#6.0s]", number("0.5"), "[%!s(float64=0000.5)]"),
      ("[%-#1.0G]", number("9.999"), "[1.E+01]"),
      ("[%+1.3e]", number("5"), "[%!e(int=+005)]"),
      ("[%+ 12.3G]", .string("a\"b\\c"), "[%!G(string=         a\"b)]"),
      ("[%+1.%]", number("55296"), "[%]%!(EXTRA int=55296)"),
      ("[%06v]", .string("日本語"), "[000日本語]"),
      ("[%-1.12d]", number("1.005"), "[%!d(float64=1.005)]"),
      ("[%-#12.F]", number("-0.0"), "[-0.         ]"),
      ("[%-6.F]", number("7.25e-310"), "[0     ]"),
      ("[%# 6.12b]", number("1114112"), "[ 0b100010000000000000000]"),
      ("[%-01.3x]", number("1.005"), "[0x1.014p+00]"),
      ("[%# 1.0g]", number("1.0"), "[ 1.]"),
      ("[%#.E]", number("2.5"), "[2.E+00]"),
      ("[%+06.12%]", number("1e-400"), "[%]%!(EXTRA float64=0)"),
      ("[%-.f]", number("2.5"), "[2]"),
      ("[%012.12e]", number("65"), "[%!e(int=000000000065)]"),
      ("[%+0E]", number("2e308"), "[%!E(string=2e308)]"),
      ("[%#12.3X]", .string("😀x"), "[    0XF09F98]"),
      ("[%#12.3e]", .string("a\"b\\c"), "[%!e(string=         a\"b)]"),
      ("[%0#z]", number("1.5"), "[%!z(float64=1.50000)]"),
      ("[% 1.s]", number("12345678901234567890"), "[ 12345678901234567890]"),
      ("[%01.3c]", number("1e-400"), "[%!c(float64=0)]"),
      ("[%6.12b]", number("123456789.5"), "[8285044896432128p-26]"),
      ("[%012e]", number("2.5"), "[2.500000e+00]"),
      ("[%.t]", number("12345678901234567890"), "[%!t(big.Int=12345678901234567890)]"),
      ("[%#.12b]", number("-3.14159"), "[-7074231776675438p-51]"),
      ("[% 1.12z]", number("1e21"), "[%!z(float64= 1e+21)]"),
      ("[%06.0f]", .string("héllo"), "[%!f(string=000000)]"),
      ("[%-#12.s]", number("-3.14159"), "[%!s(float64=-3.         )]"),
      ("[% 1.0E]", .string("\u{9}\u{a}\u{7f}"), "[%!E(string= )]"),
      ("[%+F]", .string("日本語"), "[%!F(string=日本語)]"),
      ("[%+1.12s]", number("5"), "[%!s(int=+000000000005)]"),
      ("[%-c]", number("1e2"), "[%!c(float64=100)]"),
      ("[%0.3O]", .string("😀x"), "[%!O(string=😀x)]"),
      ("[%-#.12E]", number("3.14159"), "[3.141590000000E+00]"),
      ("[%01.f]", .string(" ​"), "[%!f(string=0)]"),
      ("[%#.0U]", number("1e21"), "[%!U(float64=1.e+21)]"),
      ("[%# 12.0b]", .string("日本語"), "[%!b(string=            )]"),
      ("[%-012.f]", number("1.0"), "[1           ]"),
      ("[%0#12.12t]", number("2.5"), "[%!t(float64=2.50000000000)]"),
      ("[%#12.3g]", number("1.5"), "[        1.50]"),
      ("[%0#12.T]", number("2.5"), "[000000000000]"),
      ("[%-.x]", number("100"), "[64]"),
      ("[%+.0v]", .string("\u{9}\u{a}\u{7f}"), "[]"),
      ("[%+012.0z]", number("255"), "[%!z(int=        +255)]"),
      ("[%+0.F]", number("2e308"), "[%!F(string=)]"),
      ("[%06.0d]", number("0"), "[      ]"),
      ("[%.0b]", number("9.999"), "[5628936584259699p-49]"),
      ("[%#1.0F]", number("7.25e-310"), "[0.]"),
      ("[%0#1.q]", number("1114112"), "['�']"),
      ("[%-012b]", number("5"), "[101         ]"),
      ("[%0#.0o]", number("0"), "[]"),
      ("[%+ .v]", .string(""), "[]"),
      ("[%+ 12.o]", number("1114112"), "[    +4200000]"),
      ("[%+12.0t]", number("3.14159"), "[%!t(float64=          +3)]"),
      ("[%-0.12b]", .string(""), "[%!b(string=)]"),
      ("[%+06.12z]", number("12345678901234567890"), "[%!z(big.Int=12345678901234567890)]"),
      ("[%+01G]", number("0.1"), "[+0.1]"),
      ("[%+12.3X]", .string("日本語"), "[      E697A5]"),
      ("[%# 6.12O]", number("-123456789012345678901"), "[-0o15305164770045715466065]"),
      ("[%0b]", number("2e308"), "[%!b(string=2e308)]"),
      ("[%-#6.12O]", number("7.25e-310"), "[%!O(float64=7.25000000000e-310)]"),
      ("[%-012.3G]", number("1e-400"), "[0           ]"),
      ("[%-06.0e]", .string("a\"b\\c"), "[%!e(string=      )]"),
      ("[%+12.t]", number("1e21"), "[%!t(float64=      +1e+21)]"),
      ("[%+ 6.12c]", number("100"), "[     d]"),
      ("[%+1s]", number("1.005"), "[%!s(float64=+1.005)]"),
      ("[%+01.3s]", .string(" ​"), "[ ​]"),
      ("[%.c]", number("5"), "[\u{5}]"),
      ("[%# .E]", .string("héllo"), "[%!E(string=)]"),
      ("[%+.0O]", number("2.5"), "[%!O(float64=+2)]"),
      ("[% 1.q]", number("1e21"), "[%!q(float64= 1e+21)]"),
      ("[%-01.o]", .string("日本語"), "[%!o(string= )]"),
      ("[%-#12%]", .string("héllo"), "[%]%!(EXTRA string=héllo)"),
      ("[%01.q]", number("1e-7"), "[%!q(float64=1e-07)]"),
      ("[%-12.c]", number("1234567"), "[�           ]"),
      ("[%# 6.12c]", number("65"), "[     A]"),
      ("[%#O]", number("100"), "[0o0144]"),
      ("[%-0.X]", number("1e2"), "[0X1P+07]"),
      ("[%-0.X]", number("100"), "[64]"),
      ("[%-0.3G]", number("2e308"), "[%!G(string=2e3)]"),
      ("[%0#1.0X]", number("5"), "[0X5]"),
      ("[%+ 6.3q]", .string("\u{9}\u{a}\u{7f}"), "[\"\\t\\n\\x7f\"]"),
      ("[%-#.t]", number("-0.0"), "[%!t(float64=-0.)]"),
      ("[% 1.0t]", number("0"), "[%!t(int= )]"),
      ("[%+6.12G]", number("123456"), "[%!G(int=+000000123456)]"),
      ("[%1e]", number("0.5"), "[5.000000e-01]"),
      ("[%+0.3v]", number("0.5"), "[0.5]"),
      ("[%-12.12z]", .string("`x`"), "[%!z(string=`x`         )]"),
      ("[%-0.t]", number("7.25e-310"), "[%!t(float64=7e-310)]"),
      ("[% .0v]", number("12345678901234567890"), "[ 12345678901234567890]"),
      ("[%-6.12x]", number("1e-7"), "[0x1.ad7f29abcaf4p-24]"),
      ("[%0.0z]", number("2e308"), "[%!z(string=)]"),
      ("[%0#1.0f]", number("1e-7"), "[0.]"),
      ("[%+012q]", .string("héllo"), "[\"h\\u00e9llo\"]"),
      ("[%-.U]", number("12345678901234567890"), "[%!U(big.Int=12345678901234567890)]"),
      ("[%+6.0o]", number("-0.0"), "[%!o(float64=    -0)]"),
      ("[%-6.f]", number("1.5"), "[2     ]"),
      ("[% 6.t]", number("5"), "[%!t(int=     5)]"),
      ("[%#12.12E]", number("0"), "[%!E(int=000000000000)]"),
      ("[%+1.12q]", .string("abc"), "[\"abc\"]"),
      ("[%-012.0%]", .string("abc"), "[%]%!(EXTRA string=abc)"),
      ("[%+ .12O]", number("55296"), "[+0o000000154000]"),
      ("[%+ 12.12g]", number("12345678901234567890"), "[%!g(big.Int=12345678901234567890)]"),
      ("[%# 1.3g]", number("255"), "[%!g(int= 255)]"),
      ("[%# t]", number("0"), "[%!t(int= 0)]"),
      ("[%# 1.12q]", number("255"), "['ÿ']"),
      ("[%+6.12%]", number("2.5"), "[%]%!(EXTRA float64=2.5)"),
      ("[%06.3F]", number("1e21"), "[1000000000000000000000.000]"),
      ("[%-#12.0f]", .string("😀x"), "[%!f(string=            )]"),
      ("[%+ 12.12t]", number("2e308"), "[%!t(string=       2e308)]"),
      ("[%01.0%]", number("255"), "[%]%!(EXTRA int=255)"),
      ("[%0.U]", number("1.005"), "[%!U(float64=1)]"),
      ("[%-#6.0c]", number("0.000012345"), "[%!c(float64=1.e-05)]"),
      ("[%-#12E]", number("-1"), "[%!E(int=-1          )]"),
      ("[%6.U]", number("-42"), "[U+FFFFFFFFFFFFFFD6]"),
      ("[%# 1f]", number("3.14159"), "[ 3.141590]"),
      ("[%+012.3F]", number("1234567"), "[%!F(int=    +1234567)]"),
      ("[%-01e]", number("123456789.5"), "[1.234568e+08]"),
      ("[% 12.3E]", number("3.14159"), "[   3.142E+00]"),
      ("[%+ 1e]", number("7.25e-310"), "[+7.250000e-310]"),
      ("[% 1.v]", .string("😀x"), "[ ]"),
      ("[% 6e]", number("-0.0"), "[-0.000000e+00]"),
      ("[%+06.12c]", number("7.25e-310"), "[%!c(float64=+7.25e-310)]"),
      ("[%+.3d]", number("0.1"), "[%!d(float64=+0.1)]"),
      ("[%+o]", .string(" ​"), "[%!o(string= ​)]"),
      ("[%-#6b]", .string("😀x"), "[%!b(string=😀x    )]"),
      ("[%01.0U]", number("0"), "[U+0000]"),
      ("[%#1o]", number("-1"), "[-01]"),
      ("[%-#12.g]", .string("\u{9}\u{a}\u{7f}"), "[%!g(string=            )]"),
      ("[%-12.0s]", number("9.999"), "[%!s(float64=1e+01       )]"),
      ("[%-06.0c]", number("-42"), "[�     ]"),
      ("[%#.o]", number("0.1"), "[%!o(float64=0.1)]"),
      ("[%-0.12e]", .string(""), "[%!e(string=)]"),
      ("[%12.v]", number("2e308"), "[            ]"),
      ("[%+ 12.T]", number("55296"), "[            ]"),
      ("[%-012.v]", number("1e2"), "[1e+02       ]"),
      ("[%1E]", number("255"), "[%!E(int=255)]"),
      ("[% 6.12g]", number("55296"), "[%!g(int= 000000055296)]"),
      ("[%12.12%]", number("1e2"), "[%]%!(EXTRA float64=100)"),
      ("[%-#.3c]", .string(" ​"), "[%!c(string= ​)]"),
      ("[%+ .z]", number("1234567"), "[%!z(int=+1234567)]"),
      ("[%# .O]", number("1234567"), "[ 0o04553207]"),
      ("[%+ 1U]", .string("日本語"), "[%!U(string=日本語)]"),
      ("[%-01.0%]", number("2.5"), "[%]%!(EXTRA float64=2.5)"),
      ("[%-012.0F]", number("-1"), "[%!F(int=-1          )]"),
      ("[%0#6.3O]", .string(" ​"), "[%!O(string=0000 ​)]"),
      ("[%-012.X]", number("0.1"), "[0X1P-03     ]"),
      ("[% 12O]", .string(" ​"), "[%!O(string=           ​)]"),
      ("[%+0.3z]", number("65"), "[%!z(int=+065)]"),
      ("[%+06.T]", number("1.0"), "[000000]"),
      ("[%+ 6.0b]", number("3.14159"), "[+7074231776675438p-51]"),
      ("[%-#12.0s]", number("5"), "[%!s(int=5           )]"),
      ("[%# 12.0E]", .string("日本語"), "[%!E(string=            )]"),
      ("[%1.12U]", .string("日本語"), "[%!U(string=日本語)]"),
      ("[%-c]", number("255"), "[ÿ]"),
      ("[%6.12X]", number("0"), "[000000000000]"),
      ("[%+ 6.F]", number("1e-400"), "[    +0]"),
      ("[%# 1.0q]", number("1.5"), "[%!q(float64= 2.)]"),
      ("[% 1.3F]", number("1e-400"), "[ 0.000]"),
      ("[%0#12.0e]", number("-0.0"), "[-000000.e+00]"),
      ("[%+6F]", .string("日本語"), "[%!F(string=   日本語)]"),
      ("[%g]", .string("`x`"), "[%!g(string=`x`)]"),
      ("[%01.12e]", .string("`x`"), "[%!e(string=`x`)]"),
      ("[%# .12e]", number("12345678901234567890"), "[%!e(big.Int=12345678901234567890)]"),
      ("[% 12.3O]", number("123456789.5"), "[%!O(float64=    1.23e+08)]"),
      ("[%#1.12v]", .string("\u{9}\u{a}\u{7f}"), "[\"\\t\\n\\x7f\"]"),
      ("[%+6.12F]", number("-0.0"), "[-0.000000000000]"),
      ("[%+0G]", .string(" ​"), "[%!G(string= ​)]"),
      ("[% 12d]", .string("héllo"), "[%!d(string=       héllo)]"),
      ("[%-01.X]", number("123456789.5"), "[0X1P+27]"),
      ("[%-6.12e]", number("-0.0"), "[-0.000000000000e+00]"),
      ("[%+ 1.12%]", number("-123456789012345678901"), "[%]%!(EXTRA *big.Int=-123456789012345678901)"),
      ("[%+o]", .string("\u{9}\u{a}\u{7f}"), "[%!o(string=\u{9}\u{a}\u{7f})]"),
      ("[%# 1.0U]", number("1.5"), "[%!U(float64= 2.)]"),
      ("[%-6q]", .string("😀x"), "[\"😀x\"  ]"),
      ("[%+01.12o]", number("-1"), "[-000000000001]"),
      ("[%#12.c]", number("2.5"), "[%!c(float64=          2.)]"),
      ("[%-1.3t]", number("65"), "[%!t(int=065)]"),
      ("[%01d]", number("7.25e-310"), "[%!d(float64=7.25e-310)]"),
      ("[%-6.0%]", number("-3.14159"), "[%]%!(EXTRA float64=-3.14159)"),
      ("[%-.12%]", number("1e-400"), "[%]%!(EXTRA float64=0)"),
      ("[%12.3z]", number("7.25e-310"), "[%!z(float64=   7.25e-310)]"),
      ("[%+1.0T]", number("255"), "[ ]"),
      ("[%# 12X]", number("-123456789012345678901"), "[-0X6B14E9F812F366C35]"),
      ("[%0.s]", .string("\u{9}\u{a}\u{7f}"), "[]"),
      ("[% 12.t]", number("9.999"), "[%!t(float64=       1e+01)]"),
      ("[%+12q]", number("1e21"), "[%!q(float64=      +1e+21)]"),
      ("[%012.3e]", .string("a\"b\\c"), "[%!e(string=000000000a\"b)]"),
      ("[%12.0d]", .string("日本語"), "[%!d(string=            )]"),
      ("[%0#6.O]", .string("\u{9}\u{a}\u{7f}"), "[%!O(string=000000)]"),
      ("[% .3e]", number("2e308"), "[%!e(string=2e3)]"),
      ("[% .0z]", number("0"), "[%!z(int=)]"),
      ("[%-#1.12g]", number("1e21"), "[1.00000000000e+21]"),
      ("[%#.12s]", number("65"), "[%!s(int=000000000065)]"),
      ("[%+6X]", number("1114112"), "[+110000]"),
      ("[%# 6x]", .string(" ​"), "[0xc2 0xa0 0xe2 0x80 0x8b]"),
      ("[%# %]", number("-1"), "[%]%!(EXTRA int=-1)"),
      ("[%+ 1.12G]", number("65"), "[%!G(int=+000000000065)]"),
      ("[%+01.3s]", number("123456"), "[%!s(int=+123456)]"),
      ("[%012.0e]", .string("\u{9}\u{a}\u{7f}"), "[%!e(string=000000000000)]"),
      ("[% 12.12x]", .string(" ​"), "[c2 a0 e2 80 8b]"),
      ("[%+0.0T]", number("1e2"), "[]"),
      ("[%0#1.12d]", number("1.005"), "[%!d(float64=1.00500000000)]"),
      ("[% 1.t]", number("0.000012345"), "[%!t(float64= 1e-05)]"),
      ("[%-06v]", number("1e2"), "[100   ]"),
      ("[%+0.12o]", .string("😀x"), "[%!o(string=😀x)]"),
      ("[%# 6c]", number("55296"), "[     �]"),
      ("[%+0.X]", number("1114112"), "[+110000]"),
      ("[%-1.12o]", number("3.14159"), "[%!o(float64=3.14159)]"),
      ("[%-b]", number("1e21"), "[7629394531250000p+17]"),
      ("[%# .3X]", number("0.1"), "[ 0X1.99AP-04]"),
      ("[%6.0F]", number("100"), "[%!F(int=   100)]"),
      ("[%0#.o]", number("1.005"), "[%!o(float64=1.)]"),
      ("[%-#1.0o]", number("9.999"), "[%!o(float64=1.e+01)]"),
      ("[%+012.12T]", number("-42"), "[000000000int]"),
      ("[%0#6z]", number("0"), "[%!z(int=000000)]"),
      ("[% 6.3d]", number("-0.0"), "[%!d(float64=    -0)]"),
      ("[%012.x]", number("1114112"), "[      110000]"),
      ("[%+ 12.x]", .string("\u{9}\u{a}\u{7f}"), "[            ]"),
      ("[%-6.0E]", number("1.0"), "[1E+00 ]"),
      ("[%6.12F]", number("1.0"), "[1.000000000000]"),
      ("[%# 12.0d]", number("0.1"), "[%!d(float64=         0.1)]"),
      ("[%+01.12U]", number("7.25e-310"), "[%!U(float64=+7.25e-310)]"),
      ("[%+012.0d]", .string("abc"), "[%!d(string=000000000000)]"),
      ("[%+0.z]", number("5"), "[%!z(int=+5)]"),
      ("[%012.3G]", number("1.005"), "[000000000001]"),
      ("[%0#12.3T]", number("-3.14159"), "[000000000flo]"),
      ("[%+01.12E]", number("255"), "[%!E(int=+000000000255)]"),
      ("[%+12b]", number("255"), "[   +11111111]"),
      ("[%-.o]", number("-3.14159"), "[%!o(float64=-3)]"),
      ("[% .3v]", .string("`x`"), "[`x`]"),
      ("[%+0.0G]", number("5"), "[%!G(int=+5)]"),
      ("[%+1.z]", number("0.000012345"), "[%!z(float64=+1e-05)]"),
      ("[%06.%]", number("1e-7"), "[%]%!(EXTRA float64=1e-07)"),
      ("[%+1.0E]", .string("`x`"), "[%!E(string= )]"),
      ("[%-012.3s]", number("0.1"), "[%!s(float64=0.1         )]"),
      ("[%-.0q]", number("1114112"), "['�']"),
      ("[%6d]", .string("abc"), "[%!d(string=   abc)]"),
      ("[%+12.o]", .string("héllo"), "[%!o(string=            )]"),
      ("[%0#12.12s]", .string("a\"b\\c"), "[0000000a\"b\\c]"),
      ("[%0#6z]", .string("\u{9}\u{a}\u{7f}"), "[%!z(string=000\u{9}\u{a}\u{7f})]"),
      ("[%-.3X]", .string(""), "[]"),
      ("[%+6.o]", number("0.5"), "[%!o(float64=  +0.5)]"),
      ("[%+012s]", number("123456789.5"), "[%!s(float64=+1.234567895e+08)]"),
      ("[%0#.12s]", number("5"), "[%!s(int=000000000005)]"),
      ("[%+6.t]", number("1.5"), "[%!t(float64=    +2)]"),
      ("[%01.12T]", number("1e-400"), "[float64]"),
      ("[%.q]", number("1e-400"), "[%!q(float64=0)]"),
      ("[%-#.3%]", number("55296"), "[%]%!(EXTRA int=55296)"),
      ("[%+6.3g]", number("5"), "[%!g(int=  +005)]"),
      ("[%#1.0U]", number("0.5"), "[%!U(float64=0.5)]"),
      ("[%-0.3%]", .string("日本語"), "[%]%!(EXTRA string=日本語)"),
      ("[%+ 12.3%]", number("-1"), "[%]%!(EXTRA int=-1)"),
      ("[%+01t]", .string("héllo"), "[%!t(string=héllo)]"),
      ("[%-0.q]", number("255"), "['ÿ']"),
      ("[%-.3%]", number("100"), "[%]%!(EXTRA int=100)"),
      ("[%-.T]", number("5"), "[]"),
      ("[%-012U]", number("-0.0"), "[%!U(float64=-0          )]"),
      ("[%# 1.0t]", number("1e-7"), "[%!t(float64= 1.e-07)]"),
      ("[%-#6o]", number("255"), "[0377  ]"),
      ("[%# 1G]", number("7.25e-310"), "[ 7.25000E-310]"),
      ("[%012.f]", number("2e308"), "[%!f(string=000000000000)]"),
      ("[%1.T]", .string(""), "[ ]"),
      ("[%-q]", number("123456"), "['\\U0001e240']"),
      ("[%+ 1.3T]", number("1.5"), "[flo]"),
      ("[%-6.E]", number("-0.0"), "[-0E+00]"),
      ("[%+ 6.3t]", .string("`x`"), "[%!t(string=   `x`)]"),
      ("[%-#.0T]", number("1e-7"), "[]"),
      ("[%-06v]", .string("abc"), "[abc   ]"),
      ("[%-#6.0e]", number("3.14159"), "[3.e+00]"),
      ("[%-#1.3o]", number("0.1"), "[%!o(float64=0.100)]"),
      ("[% 6.q]", number("1114112"), "[   '�']"),
      ("[%-#1.3f]", number("1e21"), "[1000000000000000000000.000]"),
      ("[%#.x]", number("9.999"), "[0x1.p+03]"),
      ("[%0#1G]", number("-0.0"), "[-0.00000]"),
      ("[%-#6z]", number("1e2"), "[%!z(float64=100.000)]"),
      ("[%-1.x]", number("5"), "[5]"),
      ("[%-#12.12U]", number("123456789.5"), "[%!U(float64=123456789.500)]"),
      ("[%+ 12.0v]", number("1114112"), "[     1114112]"),
      ("[%#6.12x]", number("1114112"), "[0x000000110000]"),
      ("[%+0.0x]", number("1114112"), "[+110000]"),
      ("[% 1z]", .string(""), "[%!z(string= )]"),
      ("[%+01.v]", number("5"), "[5]"),
      ("[%# 6.0e]", .string("a\"b\\c"), "[%!e(string=      )]"),
      ("[%# 6.12b]", .string(""), "[%!b(string=      )]"),
      ("[%# 6o]", number("1.0"), "[%!o(float64= 1.00000)]"),
      ("[%-#6.3e]", number("1.0"), "[1.000e+00]"),
      ("[%+1.12v]", number("7.25e-310"), "[7.25e-310]"),
      ("[%6.X]", number("1114112"), "[110000]"),
      ("[%01.0b]", .string(""), "[%!b(string=0)]"),
      ("[%-1.12g]", number("255"), "[%!g(int=000000000255)]"),
      ("[%012x]", .string("\u{9}\u{a}\u{7f}"), "[000000090a7f]"),
      ("[%1%]", number("0.000012345"), "[%]%!(EXTRA float64=1.2345e-05)"),
      ("[%#6.0b]", number("1.0"), "[4503599627370496p-52]"),
      ("[%# .0x]", .string("abc"), "[]"),
      ("[%# 1.E]", number("1234567"), "[%!E(int= 1234567)]"),
      ("[%# 12.0d]", number("1114112"), "[     1114112]"),
      ("[%+012.c]", number("3.14159"), "[%!c(float64=+00000000003)]"),
      ("[%+6.12f]", number("0.5"), "[+0.500000000000]"),
      ("[%-01.3b]", .string(" ​"), "[%!b(string= ​)]"),
      ("[%-012c]", number("1234567"), "[�           ]"),
      ("[%0.3E]", number("-3.14159"), "[-3.142E+00]"),
      ("[%-#6.12z]", number("100"), "[%!z(int=000000000100)]"),
      ("[%# 12.3o]", .string("a\"b\\c"), "[%!o(string=         a\"b)]"),
      ("[%-012.12F]", .string("日本語"), "[%!F(string=日本語         )]"),
      ("[%0#12.v]", number("2.5"), "[000000000002]"),
      ("[%-01.3U]", .string("日本語"), "[%!U(string=日本語)]"),
      ("[%0#6.12s]", number("1e21"), "[%!s(float64=1.00000000000e+21)]"),
      ("[%0#6.E]", number("55296"), "[%!E(int= 55296)]"),
      ("[%1.3t]", .string("héllo"), "[%!t(string=hél)]"),
      ("[%-06.12T]", number("-0.0"), "[float64]"),
      ("[%#12.12%]", number("65"), "[%]%!(EXTRA int=65)"),
      ("[%0#12.12U]", .string(""), "[%!U(string=000000000000)]"),
      ("[%0.12c]", number("12345678901234567890"), "[%!c(big.Int=12345678901234567890)]"),
      ("[%012.12G]", .string("`x`"), "[%!G(string=000000000`x`)]"),
      ("[%0#1t]", number("2.5"), "[%!t(float64=2.50000)]"),
      ("[% 6f]", .string(""), "[%!f(string=      )]"),
      ("[%+012.0g]", number("1114112"), "[%!g(int=    +1114112)]"),
      ("[%# 6.0e]", number("-3.14159"), "[-3.e+00]"),
      ("[%# 12.t]", number("0.1"), "[%!t(float64=         0.1)]"),
      ("[%-#6f]", number("1234567"), "[%!f(int=1234567)]"),
      ("[%+.F]", number("1.5"), "[+2]"),
      ("[%12.12o]", .string("abc"), "[%!o(string=         abc)]"),
      ("[%012.3f]", number("1.0"), "[00000001.000]"),
      ("[%-012.0X]", number("0.5"), "[0X1P-01     ]"),
      ("[%0.0g]", number("123456"), "[%!g(int=123456)]"),
      ("[%+ 1.3s]", number("0.1"), "[%!s(float64=+0.1)]"),
      ("[%+ 1.12G]", number("-123456789012345678901"), "[%!G(big.Int=-123456789012345678901)]"),
      ("[%-#6.0c]", number("100"), "[d     ]"),
      ("[%# 12g]", .string("héllo"), "[%!g(string=       héllo)]"),
      ("[%-#.T]", number("0.1"), "[]"),
      ("[%# q]", number("2.5"), "[%!q(float64= 2.50000)]"),
      ("[%+ 6.12o]", number("1.0"), "[%!o(float64=    +1)]"),
      ("[%012c]", .string("😀x"), "[%!c(string=0000000000😀x)]"),
      ("[%.12G]", number("12345678901234567890"), "[%!G(big.Int=12345678901234567890)]"),
      ("[%012U]", number("1.005"), "[%!U(float64=00000001.005)]"),
      ("[%06.0x]", number("1.005"), "[0x1p+00]"),
      ("[%6.0x]", number("1.005"), "[0x1p+00]"),
      ("[%+ .12X]", number("100"), "[+000000000064]"),
      ("[%+6.s]", number("3.14159"), "[%!s(float64=    +3)]"),
      ("[%-01.0v]", number("1234567"), "[1234567]"),
      ("[%-#6.0t]", number("-123456789012345678901"), "[%!t(big.Int=-123456789012345678901)]"),
      ("[%# 1.3z]", number("1e-400"), "[%!z(float64= 0.00)]"),
      ("[%-#.12O]", number("1.5"), "[%!O(float64=1.50000000000)]"),
      ("[%-#6%]", number("-123456789012345678901"), "[%]%!(EXTRA *big.Int=-123456789012345678901)"),
      ("[%0.%]", number("0.000012345"), "[%]%!(EXTRA float64=1.2345e-05)"),
      ("[% .t]", number("2.5"), "[%!t(float64= 2)]"),
      ("[%0#6.0c]", number("-1"), "[00000�]"),
      ("[%-#6.z]", number("1.5"), "[%!z(float64=2.    )]"),
      ("[%-06.0G]", number("55296"), "[%!G(int=55296 )]"),
      ("[%0#1.3f]", number("0.1"), "[0.100]"),
      ("[%-#.0b]", .string(" ​"), "[%!b(string=)]"),
      ("[%-1z]", .string(" ​"), "[%!z(string= ​)]"),
      ("[% 12.3g]", number("255"), "[%!g(int=         255)]"),
      ("[%#6.12c]", number("255"), "[     ÿ]"),
      ("[%-6.3e]", number("1234567"), "[%!e(int=1234567)]"),
      ("[%01.3F]", number("1e-7"), "[0.000]"),
      ("[%0#.0%]", number("-0.0"), "[%]%!(EXTRA float64=-0)"),
      ("[%01t]", number("1.005"), "[%!t(float64=1.005)]"),
      ("[%0#.12e]", .string("`x`"), "[%!e(string=`x`)]"),
      ("[%-012g]", number("123456789.5"), "[1.234567895e+08]"),
      ("[%-6X]", number("-1"), "[-1    ]"),
      ("[% 1c]", .string(" ​"), "[%!c(string= ​)]"),
      ("[%+ 1.e]", number("-0.0"), "[-0e+00]"),
      ("[%-6.g]", number("2e308"), "[%!g(string=      )]"),
      ("[%#.z]", number("-3.14159"), "[%!z(float64=-3.)]"),
      ("[%+12v]", number("5"), "[           5]"),
      ("[%+ .12f]", number("0.5"), "[+0.500000000000]"),
      ("[% 12.0O]", number("2e308"), "[%!O(string=            )]"),
      ("[% 12.3G]", number("1e2"), "[         100]"),
      ("[%# 1q]", number("1114112"), "['�']"),
      ("[%0#1.0f]", number("-123456789012345678901"), "[%!f(big.Int=-123456789012345678901)]"),
      ("[%#1.12o]", number("123456789.5"), "[%!o(float64=123456789.500)]"),
      ("[%0.0z]", number("-3.14159"), "[%!z(float64=-3)]"),
      ("[% 12G]", number("1e2"), "[         100]"),
      ("[%1T]", .string("a\"b\\c"), "[string]"),
      ("[%.3x]", .string("héllo"), "[68c3a9]"),
      ("[%0#1o]", number("1e2"), "[%!o(float64=100.000)]"),
      ("[%06.s]", number("7.25e-310"), "[%!s(float64=7e-310)]"),
      ("[% 12.12o]", number("-3.14159"), "[%!o(float64=    -3.14159)]"),
      ("[%+ t]", number("65"), "[%!t(int=+65)]"),
      ("[%#12.0z]", number("123456"), "[%!z(int=      123456)]"),
      ("[%-.12%]", number("0.1"), "[%]%!(EXTRA float64=0.1)"),
      ("[%+1.0E]", number("55296"), "[%!E(int=+55296)]"),
      ("[%1.0g]", number("0"), "[%!g(int= )]"),
      ("[%-1f]", number("-123456789012345678901"), "[%!f(big.Int=-123456789012345678901)]"),
      ("[% 1.12g]", number("-0.0"), "[-0]"),
      ("[%#6.d]", number("9.999"), "[%!d(float64=1.e+01)]"),
      ("[%+12.x]", number("-42"), "[         -2a]"),
      ("[%-#12.12b]", number("5"), "[0b000000000101]"),
      ("[% 6.12G]", number("-42"), "[%!G(int=-000000000042)]"),
      ("[% 1g]", .string("日本語"), "[%!g(string=日本語)]"),
      ("[%+0.3x]", number("2.5"), "[+0x1.400p+01]"),
      ("[% 12.12f]", number("3.14159"), "[ 3.141590000000]"),
      ("[%-#12.3q]", number("123456"), "['\\U0001e240']"),
      ("[%+ .0U]", number("-42"), "[U+FFFFFFFFFFFFFFD6]"),
      ("[%-0O]", number("100"), "[0o144]"),
      ("[%01O]", number("1e21"), "[%!O(float64=1e+21)]"),
      ("[%-f]", number("55296"), "[%!f(int=55296)]"),
      ("[%#6.12X]", number("-3.14159"), "[-0X1.921F9F01B867P+01]"),
      ("[%12.12f]", .string("abc"), "[%!f(string=         abc)]"),
      ("[%6.g]", number("1e21"), "[ 1e+21]"),
      ("[%-6.0o]", number("-1"), "[-1    ]"),
      ("[%01.3F]", number("55296"), "[%!F(int=55296)]"),
      ("[%-#6.12g]", .string(" ​"), "[%!g(string= ​    )]"),
      ("[%#1.x]", .string(" ​"), "[ ]"),
      ("[%+ 12%]", number("-1"), "[%]%!(EXTRA int=-1)"),
      ("[%+12o]", number("-3.14159"), "[%!o(float64=    -3.14159)]"),
      ("[%# 1t]", number("255"), "[%!t(int= 255)]"),
      ("[%+6.3x]", number("1234567"), "[+12d687]"),
      ("[%+6.12e]", .string(" ​"), "[%!e(string=     ​)]"),
      ("[%+012%]", number("5"), "[%]%!(EXTRA int=5)"),
      ("[%01e]", number("0.5"), "[5.000000e-01]"),
      ("[%+ .3%]", number("0.000012345"), "[%]%!(EXTRA float64=1.2345e-05)"),
      ("[%01.0s]", number("1e-7"), "[%!s(float64=1e-07)]"),
      ("[%0#.3X]", number("-3.14159"), "[-0X1.922P+01]"),
      ("[%# 1.12o]", number("1e2"), "[%!o(float64= 100.000000000)]"),
      ("[%6.12U]", .string("\u{9}\u{a}\u{7f}"), "[%!U(string=   \u{9}\u{a}\u{7f})]"),
      ("[%0#6.0o]", .string("\u{9}\u{a}\u{7f}"), "[%!o(string=000000)]"),
      ("[%-.0F]", number("-3.14159"), "[-3]"),
      ("[% 1.12v]", .string("\u{9}\u{a}\u{7f}"), "[\u{9}\u{a}\u{7f}]"),
      ("[%+ 12.12x]", number("-1"), "[-000000000001]"),
      ("[%+ 12.e]", .string("héllo"), "[%!e(string=            )]"),
      ("[%+06.3z]", number("123456789.5"), "[%!z(float64=+1.23e+08)]"),
      ("[%-012X]", number("2e308"), "[3265333038  ]"),
      ("[%6.0d]", number("7.25e-310"), "[%!d(float64=7e-310)]"),
      ("[%0#12.e]", number("65"), "[%!e(int=          65)]"),
      ("[%0#1.0c]", .string("`x`"), "[%!c(string=0)]"),
      ("[%+1.12o]", .string("héllo"), "[%!o(string=héllo)]"),
      ("[%-0s]", number("0.000012345"), "[%!s(float64=1.2345e-05)]"),
      ("[%-06.0E]", number("100"), "[%!E(int=100   )]"),
      ("[%-12s]", .string(" ​"), "[ ​          ]"),
      ("[%0#.3t]", .string("abc"), "[%!t(string=abc)]"),
      ("[%6.12s]", number("0.5"), "[%!s(float64=   0.5)]"),
      ("[%+06X]", number("1e-400"), "[+0X0P+00]"),
      ("[% e]", number("100"), "[%!e(int= 100)]"),
      ("[%+01.12U]", number("1.5"), "[%!U(float64=+1.5)]"),
      ("[%# 6s]", number("-0.0"), "[%!s(float64=-0.00000)]"),
      ("[%-0e]", number("100"), "[%!e(int=100)]"),
      ("[%+ 1.12e]", number("1.0"), "[+1.000000000000e+00]"),
      ("[%012.3G]", number("1.0"), "[000000000001]"),
      ("[%+ 12.d]", number("9.999"), "[%!d(float64=      +1e+01)]"),
      ("[%012f]", .string("héllo"), "[%!f(string=0000000héllo)]"),
      ("[%0#1.0O]", number("1.0"), "[%!O(float64=1.)]"),
      ("[%0#12.o]", number("12345678901234567890"), "[01255245230635307605322]"),
      ("[%+ 12.c]", number("3.14159"), "[%!c(float64=          +3)]"),
      ("[%-#12.3e]", .string("abc"), "[%!e(string=abc         )]"),
      ("[%-1q]", number("2e308"), "[\"2e308\"]"),
      ("[%-06d]", number("-0.0"), "[%!d(float64=-0    )]"),
      ("[%0#1.q]", number("255"), "['ÿ']"),
      ("[%-0.O]", number("2e308"), "[%!O(string=)]"),
      ("[%-0.e]", number("123456"), "[%!e(int=123456)]"),
      ("[%-012U]", .string("日本語"), "[%!U(string=日本語         )]"),
      ("[%6.12q]", .string(" ​"), "[\"\\u00a0\\u200b\"]"),
      ("[%#.12X]", number("123456789.5"), "[0X1.D6F345600000P+26]"),
      ("[%-1.%]", number("65"), "[%]%!(EXTRA int=65)"),
      ("[%+0.3U]", number("1.5"), "[%!U(float64=+1.5)]"),
      ("[%+01q]", number("-0.0"), "[%!q(float64=-0)]"),
      ("[%+c]", .string("😀x"), "[%!c(string=😀x)]"),
      ("[%#12.12o]", number("-1"), "[-000000000001]"),
      ("[%+6.3G]", .string("héllo"), "[%!G(string=   hél)]"),
      ("[%+01.12T]", .string("😀x"), "[string]"),
      ("[%+ 12.E]", number("-123456789012345678901"), "[%!E(big.Int=-123456789012345678901)]"),
      ("[%+.q]", number("123456"), "['\\U0001e240']"),
      ("[%+ 6.12s]", number("12345678901234567890"), "[+12345678901234567890]"),
      ("[%-012.12z]", .string("\u{9}\u{a}\u{7f}"), "[%!z(string=\u{9}\u{a}\u{7f}         )]"),
      ("[%+06s]", number("5"), "[%!s(int=+00005)]"),
      ("[%012.12e]", .string("abc"), "[%!e(string=000000000abc)]"),
      ("[%12.3T]", number("12345678901234567890"), "[         *bi]"),
      ("[%-012.3x]", number("1.005"), "[0x1.014p+00 ]"),
      ("[%-#6.0q]", number("2.5"), "[%!q(float64=2.    )]"),
      ("[%6.U]", number("1.0"), "[%!U(float64=     1)]"),
      ("[%0#6q]", number("2e308"), "[`2e308`]"),
      ("[%-#1.12v]", .string("😀x"), "[\"😀x\"]"),
      ("[%0#.12g]", number("2e308"), "[%!g(string=2e308)]"),
      ("[%#.3z]", number("7.25e-310"), "[%!z(float64=7.25e-310)]"),
      ("[%-12.e]", number("2.5"), "[2e+00       ]"),
      ("[% 1.X]", number("55296"), "[ D800]"),
      ("[%+ 12.0f]", number("100"), "[%!f(int=        +100)]"),
      ("[%#.3g]", .string("`x`"), "[%!g(string=`x`)]"),
      ("[%-0.12v]", number("9.999"), "[9.999]"),
      ("[%-0G]", number("5"), "[%!G(int=5)]"),
      ("[%#1.0d]", number("65"), "[65]"),
      ("[% x]", number("0.5"), "[ 0x1p-01]"),
      ("[%-c]", number("5"), "[\u{5}]"),
      ("[%-06s]", number("1.5"), "[%!s(float64=1.5   )]"),
      ("[%0#1z]", .string("`x`"), "[%!z(string=`x`)]"),
    ]
    for (format, argument, expected) in cases {
      #expect(try sprintf(format, [argument]) == .string(expected), "\(format) \(argument)")
    }
  }

  @Test("several operands, indexes, * width and precision, bad forms")
  func multiOperand() throws {
    let cases: [(String, [Value], String)] = [
      ("%d %d", [number("1")], "1 %!d(MISSING)"),
      (
        "%d", [number("1"), .string("a"), number("1.5"), number("123456789012345678901")],
        "1%!(EXTRA string=a, float64=1.5, *big.Int=123456789012345678901)"
      ),
      ("%[2]d %[1]s", [.string("a"), number("2")], "2 a"),
      ("%[3]d", [number("1"), number("2")], "%!d(BADINDEX)"),
      ("%[0]d", [number("1")], "%!d(BADINDEX)"),
      ("%[x]d", [number("1")], "%!d(BADINDEX)"),
      ("%[1]", [number("1")], "%!(NOVERB)"),
      ("%[1", [number("1")], "%!(NOVERB)"),
      ("%[1]d%d", [number("1"), number("2")], "12"),
      ("%[2]d%d", [number("1"), number("2")], "2%!d(MISSING)"),
      ("%*d", [number("5"), number("42")], "   42"),
      ("%-*d|", [number("5"), number("42")], "42   |"),
      ("%*d|", [number("-5"), number("42")], "42   |"),
      ("%0*d|", [number("-5"), number("42")], "42   |"),
      ("%.*f", [number("2"), number("3.14159")], "3.14"),
      ("%.*f", [number("-2"), number("3.14159")], "%!(BADPREC)3.141590"),
      ("%*d", [.string("x"), number("1")], "%!(BADWIDTH)1"),
      ("%*d", [number("1.5"), number("1")], "%!(BADWIDTH)1"),
      ("%*d", [number("123456789012345678901"), number("1")], "%!(BADWIDTH)1"),
      ("%*d", [number("10000000"), number("1")], "%!(BADWIDTH)1"),
      ("%[2]*[1]d", [number("42"), number("5")], "   42"),
      ("%[2]*d", [number("42"), number("5")], "%!d(MISSING)"),
      ("%3[1]d", [number("42")], " 42"),
      ("%[1]3d", [number("42")], "%!d(BADINDEX)"),
      ("%.[1]d", [number("42")], "42"),
      ("%[1].2d", [number("42")], "%!d(BADINDEX)"),
      ("%!", [], "%!!(MISSING)"),
      ("%", [], "%!(NOVERB)"),
      ("%5", [number("1")], "%!(NOVERB)%!(EXTRA int=1)"),
      ("%.5", [number("1")], "%!(NOVERB)%!(EXTRA int=1)"),
      ("%-", [], "%!(NOVERB)"),
      ("%w", [number("1")], "%!w(int=1)"),
      ("%w", [.string("x")], "%!w(string=x)"),
      // Go 1.20 and later treat %w like %v for the + and # flags (Go 1.19 printed "+1").
      ("%+w", [number("1")], "%!w(int=1)"),
      ("%p", [number("1")], "%!p(int=1)"),
      ("%p", [.string("x")], "%!p(string=x)"),
      ("%v %v %v", [number("1"), number("2")], "1 2 %!v(MISSING)"),
      ("%s %s", [], "%!s(MISSING) %!s(MISSING)"),
      ("%%%d%%", [number("7")], "%7%"),
      ("%-5%|", [number("7")], "%|%!(EXTRA int=7)"),
      ("%ä", [number("1")], "%!ä(int=1)"),
      ("%日", [.string("x")], "%!日(string=x)"),
      ("x%", [number("1"), number("2")], "x%!(NOVERB)%!(EXTRA int=1, int=2)"),
      ("%v", [number("-123456789012345678901")], "-123456789012345678901"),
      ("%+v", [number("123456789012345678901")], "+123456789012345678901"),
      ("%#v", [number("123456789012345678901")], "123456789012345678901"),
      ("%#v", [number("255")], "255"),
      ("%#v", [number("1.5")], "1.5"),
      ("%#v", [number("1e21")], "1e+21"),
      ("%+v", [number("5")], "5"),
      ("%+v", [number("1.5")], "1.5"),
      ("%#v", [.string("a\"b")], "\"a\\\"b\""),
      ("%+q", [.string("日本")], "\"\\u65e5\\u672c\""),
      ("%#+q", [.string("日本")], "`日本`"),
      ("%#q", [.string("a`b")], "\"a`b\""),
      ("%x", [number("-123456789012345678901")], "-6b14e9f812f366c35"),
      ("%#o", [number("123456789012345678901")], "015305164770045715466065"),
      ("%O", [number("123456789012345678901")], "0o15305164770045715466065"),
      ("%b", [number("123456789012345678901")], "1101011000101001110100111111000000100101111001101100110110000110101"),
      ("% d", [number("123456789012345678901")], " 123456789012345678901"),
      ("%.30d", [number("123456789012345678901")], "000000000123456789012345678901"),
      ("%-30d|", [number("123456789012345678901")], "123456789012345678901         |"),
      ("%030.25d|", [number("123456789012345678901")], "     0000123456789012345678901|"),
      ("%c", [number("123456789012345678901")], "%!c(big.Int=123456789012345678901)"),
      ("%e", [number("123456789012345678901")], "%!e(big.Int=123456789012345678901)"),
      ("%s", [number("1e400")], "1e400"),
      ("%d", [number("1e400")], "%!d(string=1e400)"),
      ("%10.3v|", [number("3.14159")], "      3.14|"),
      ("%#g", [number("100000")], "%!g(int=100000)"),
      ("%#g", [number("1e-7")], "1.00000e-07"),
      ("%#.0e", [number("5")], "%!e(int=5)"),
      ("%#.0f", [number("5.5")], "6."),
      ("%#x", [number("0.5")], "0x1.0000p-01"),
      ("%#.0x", [number("1.5")], "0x1.p+01"),
      ("%g", [number("1e20")], "1e+20"),
      ("%g", [number("123456")], "%!g(int=123456)"),
      ("%g", [number("1234567")], "%!g(int=1234567)"),
      ("%.20g", [number("0.1")], "0.10000000000000000555"),
      ("%.40f", [number("0.1")], "0.1000000000000000055511151231257827021182"),
      ("%.17e", [number("5e-324")], "4.94065645841246544e-324"),
      ("%v", [number("5e-324")], "5e-324"),
      ("%v", [number("1.7976931348623157e308")], "1.7976931348623157e+308"),
      (
        "%f", [number("1e100")],
        "10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000000"
      ),
      ("%x", [number("5e-324")], "0x1p-1074"),
      ("%X", [number("-1e100")], "-0X1.249AD2594C37DP+332"),
      ("%.3x", [number("3.3")], "0x1.a66p+01"),
      ("%b", [number("5e-324")], "1p-1074"),
    ]
    for (format, arguments, expected) in cases {
      #expect(try sprintf(format, arguments) == .string(expected), "\(format) \(arguments)")
    }
  }
}

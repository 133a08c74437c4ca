import Glibc
import Testing

@testable import WAFEngine

/// One transformation case: bytes in, bytes out. Written from ModSecurity's documented behaviour and
/// the shapes of the secrules-language-tests vectors (escapes at the end of input, invalid digits,
/// full-width forms, numeric entities without `;`).
struct TransformationCase: CustomTestStringConvertible, Sendable {
  let transformation: Transformation
  let input: [UInt8]
  let output: [UInt8]

  init(_ transformation: Transformation, _ input: String, _ output: String) {
    self.transformation = transformation
    self.input = Array(input.utf8)
    self.output = Array(output.utf8)
  }

  init(_ transformation: Transformation, bytes input: [UInt8], _ output: [UInt8]) {
    self.transformation = transformation
    self.input = input
    self.output = output
  }

  var testDescription: String {
    "\(transformation.rawValue)(\(String(decoding: input, as: UTF8.self).debugDescription))"
  }
}

private let noContext = TransformationContext()

/// Reads a whole file with Glibc (tests avoid Foundation like the module does).
func readWholeFile(_ path: String) -> [UInt8]? {
  guard let file = fopen(path, "rb") else { return nil }
  defer { fclose(file) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, file) }
    if read <= 0 { break }
    bytes.append(contentsOf: chunk[0..<read])
  }
  return bytes
}

let unicodeMappingPath = "/work/shared/conformance/waf/modsecurity-conf/unicode.mapping"

@Suite struct TransformationTests {
  // MARK: - Names

  @Test func namesAreCaseInsensitiveWithAliases() {
    #expect(Transformation(name: "urlDecodeUni") == .urlDecodeUni)
    #expect(Transformation(name: "URLDECODEUNI") == .urlDecodeUni)
    #expect(Transformation(name: "base64decode") == .base64Decode)
    #expect(Transformation(name: "normalisePath") == .normalizePath)
    #expect(Transformation(name: "normalizePath") == .normalizePath)
    #expect(Transformation(name: "normalisePathWin") == .normalizePathWin)
    #expect(Transformation(name: "normalizepathwin") == .normalizePathWin)
    #expect(Transformation(name: "utf8ToUnicode") == .utf8toUnicode)
    #expect(Transformation(name: "lowerCase") == .lowercase)
    #expect(Transformation(name: "sha256") == nil)
    #expect(Transformation(name: "") == nil)
    #expect(Transformation.allCases.count == 36)
    for transformation in Transformation.allCases {
      #expect(Transformation(name: transformation.rawValue) == transformation)
    }
  }

  /// The rule loop hands every transformation a reused output buffer that still holds an earlier
  /// value: whatever it held must not leak into the result.
  @Test func reusedOutputBuffers() {
    let inputs = [
      "", "a", "Hello World", "%41%u0042+c", "&lt;b&gt;&#x41;", "\\x41\\u0042", "/a/./b/../c//d", "a/**/b -- c",
      "  padded  ", "0x414243", "QUJD", "\u{00e9}t\u{00e9}", "C:\\dir\\..\\x", "a\u{0}b", "cmd ^/c \"dir\"",
    ].map { Array($0.utf8) }
    let stale = Array(repeating: UInt8(ascii: "Z"), count: 64)
    for transformation in Transformation.allCases {
      for input in inputs {
        var out = stale
        let changed = input.withUnsafeBufferPointer { transformation.transform($0, into: &out, context: noContext) }
        let expected = transformation.apply(input, context: noContext)
        #expect((changed ? out : input) == expected, "\(transformation) on \(input)")
      }
    }
  }

  @Test func registryIsSorted() {
    let names = Transformation.allCases.map { $0.rawValue.lowercased() }
    #expect(names == names.sorted())
  }

  @Test func everyCRSTransformationResolves() {
    guard let lines = crsRuleLines() else {
      print("⚠️ skipped: CRS rules not present under \(crsRulesDirectory)")
      return
    }
    var used: Set<String> = []
    for line in lines {
      let bytes = Array(line.utf8)
      var index = 1
      while index + 1 < bytes.count {
        if bytes[index] == 0x74 && bytes[index + 1] == 0x3A
          && (bytes[index - 1] == 0x2C || bytes[index - 1] == 0x22 || bytes[index - 1] == 0x20)
        {
          let name = bytes[(index + 2)...].prefix(while: ByteClass.isAlphanumeric)
          if !name.isEmpty { used.insert(String(decoding: name, as: UTF8.self)) }
        }
        index += 1
      }
    }
    #expect(used.count >= 15)
    for name in used.sorted() { #expect(Transformation(name: name) != nil, "t:\(name)") }
  }

  // MARK: - Tables

  static let urlDecodingCases: [TransformationCase] = [
    .init(.urlDecode, "", ""),
    .init(.urlDecode, "TestCase", "TestCase"),
    .init(.urlDecode, "Test+Case%20%41%2f", "Test Case A/"),
    .init(.urlDecode, "%", "%"),
    .init(.urlDecode, "%0", "%0"),
    .init(.urlDecode, "%%", "%%"),
    .init(.urlDecode, "%0g%20", "%0g "),
    .init(.urlDecode, "%g0%20", "%g0 "),
    .init(.urlDecode, "%%20", "% "),
    .init(.urlDecode, "%+", "% "),
    .init(.urlDecode, "%u0041", "%u0041"),
    .init(.urlDecode, "a%2", "a%2"),
    .init(.urlDecodeUni, "%u0041%u0062", "Ab"),
    .init(.urlDecodeUni, "%U0041", "A"),
    .init(.urlDecodeUni, "%uff01%uFF5e%uFf41", "!~a"),
    .init(.urlDecodeUni, "%u", "%u"),
    .init(.urlDecodeUni, "%u%u0020", "%u "),
    .init(.urlDecodeUni, "%u0%u0020", "%u0 "),
    .init(.urlDecodeUni, "%u000%u0020", "%u000 "),
    .init(.urlDecodeUni, "%u000g%u0020", "%u000g "),
    .init(.urlDecodeUni, "%u004", "%u004"),
    .init(.urlDecodeUni, "%%u0020", "% "),
    .init(.urlDecodeUni, "%0g%u0020", "%0g "),
    .init(.urlDecodeUni, "+%2B", " +"),
    .init(.urlDecodeUni, "%0%1%a%f", "%0%1%a%f"),
  ]

  @Test(arguments: urlDecodingCases) func urlDecoding(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func urlDecodeUniWithoutMapKeepsLowByte() {
    // %u1141 -> 0x41, and outside FF01-FF5E no +0x20: %uFF00 -> 0x00, %uFF7F -> 0x7F.
    let out = Transformation.urlDecodeUni.apply(Array("%u1141%uff00%uff7f%u00e9".utf8), context: noContext)
    #expect(out == [0x41, 0x00, 0x7F, 0xE9])
  }

  @Test func urlDecodeUniPercentBytes() {
    var input: [UInt8] = []
    for byte in 0...255 { input += Array("%\(String(byte, radix: 16).leftPadded(to: 2))".utf8) }
    #expect(Transformation.urlDecodeUni.apply(input, context: noContext) == Array(0...255))
    #expect(Transformation.urlDecode.apply(input, context: noContext) == Array(0...255))
  }

  static let htmlEntitiesCases: [TransformationCase] = [
    .init(.htmlEntityDecode, "", ""),
    .init(.htmlEntityDecode, "TestCase", "TestCase"),
    .init(.htmlEntityDecode, "&quot;&amp;&lt;&gt;", "\"&<>"),
    .init(.htmlEntityDecode, "&QUOT&Amp&LT&gT", "\"&<>"),
    .init(.htmlEntityDecode, "&#x41;&#X42&#67;&#68", "ABCD"),
    .init(.htmlEntityDecode, "&#x3c;script&#x3e;", "<script>"),
    .init(.htmlEntityDecode, "&#0000060&#x00003C", "<<"),
    .init(.htmlEntityDecode, "&#xg;&#Xg;&#xg0;", "&#xg;&#Xg;&#xg0;"),
    .init(.htmlEntityDecode, "&#a;&#;&#", "&#a;&#;&#"),
    .init(.htmlEntityDecode, "&#x", "&#x"),
    .init(.htmlEntityDecode, "&#X2g;&#3a&#10a;", "\u{02}g;\u{03}a\na;"),
    .init(.htmlEntityDecode, "&foo;&ltx;&", "&foo;&ltx;&"),
    .init(.htmlEntityDecode, "a & b", "a & b"),
    .init(.htmlEntityDecode, "&&lt;", "&<"),
  ]

  @Test(arguments: htmlEntitiesCases) func htmlEntities(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func htmlEntityEdgeBytes() {
    let decode = { (text: String) in Transformation.htmlEntityDecode.apply(Array(text.utf8), context: noContext) }
    #expect(decode("&nbsp;&NBSP") == [0xA0, 0xA0])
    #expect(decode("&#x0;&#0;") == [0, 0])
    #expect(decode("&#256;&#x141;") == [0x00, 0x41])  // only the low byte survives
    #expect(decode("&#99999999999999999999999;") == [0xFF])  // strtol saturates at LONG_MAX
  }

  static let jsDecodingCases: [TransformationCase] = [
    .init(.jsDecode, "", ""),
    .init(.jsDecode, "TestCase", "TestCase"),
    .init(.jsDecode, "\\a\\b\\f\\n\\r\\t\\v\\?\\'\\\"", "\u{07}\u{08}\u{0C}\n\r\t\u{0B}?'\""),
    .init(.jsDecode, "\\12\\123\\x41\\u0042\\uff01", "\nSAB!"),
    .init(.jsDecode, "\\8\\9\\666\\0123", "8966\n3"),
    .init(.jsDecode, "\\u00ag\\u00ga\\xag\\xga", "u00agu00gaxagxga"),
    .init(.jsDecode, "\\x", "x"),
    .init(.jsDecode, "\\x\\x0", "xx0"),
    .init(.jsDecode, "\\u\\u0\\u01\\u012", "uu0u01u012"),
    .init(.jsDecode, "\\", "\\"),
    .init(.jsDecode, "\\\\0", "\\0"),
    .init(.jsDecode, "\\U0041", "U0041"),
    .init(.jsDecode, "\\X41", "X41"),
    .init(.jsDecode, "abc\\", "abc\\"),
  ]

  @Test(arguments: jsDecodingCases) func jsDecoding(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func jsDecodeOctalFitsAByte() {
    #expect(Transformation.jsDecode.apply(Array("\\377\\400".utf8), context: noContext) == [0xFF, 0x20, 0x30])
    #expect(Transformation.jsDecode.apply(Array("\\0".utf8), context: noContext) == [0])
  }

  static let escapesCases: [TransformationCase] = [
    .init(.escapeSeqDecode, "TestCase", "TestCase"),
    .init(.escapeSeqDecode, "\\a\\b\\f\\n\\r\\t\\v\\?\\'\\\"\\\\", "\u{07}\u{08}\u{0C}\n\r\t\u{0B}?'\"\\"),
    .init(.escapeSeqDecode, "\\12\\123\\x41\\X42", "\nSAB"),
    .init(.escapeSeqDecode, "\\8\\9\\xag\\xga\\0123", "89xagxga\n3"),
    .init(.escapeSeqDecode, "\\x\\x0", "xx0"),
    .init(.escapeSeqDecode, "\\", "\\"),
    .init(.escapeSeqDecode, "\\01\\012", "\u{01}\n"),
    .init(.escapeSeqDecode, "\\u0041", "u0041"),
  ]

  @Test(arguments: escapesCases) func escapeSequences(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func escapeSeqDecodeOctalWraps() {
    #expect(Transformation.escapeSeqDecode.apply(Array("\\666\\777".utf8), context: noContext) == [0xB6, 0xFF])
  }

  static let cssCases: [TransformationCase] = [
    .init(.cssDecode, "", ""),
    .init(.cssDecode, "TestCase", "TestCase"),
    .init(
      .cssDecode, "test\\a\\b\\f\\n\\r\\t\\v\\?\\'\\\"\\0\\12\\123\\1234\\12345\\123456\\ff01\\ff5e\\\n\\0  string",
      "test\n\u{0B}\u{0F}nrtv?'\"\u{00}\u{12}#4EV!~\u{00} string"),
    .init(.cssDecode, "test\\", "test"),
    .init(.cssDecode, "\\1A\\1 A\\1234567\\123456 7\\1x\\1 x", "\u{1A}\u{01}AV7V7\u{01}x\u{01}x"),
    .init(.cssDecode, "\\6a\\61 vascript", "javascript"),
    .init(.cssDecode, "\\00ff41\\0ff41\\ff41", "aaa"),
    .init(.cssDecode, "\\1ff41", "A"),
  ]

  @Test(arguments: cssCases) func cssDecoding(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func cssDecodeUsesOnlyTheLastTwoOfSixDigits() {
    // Six digits "0000ff" -> 0xFF (not full-width: the check needs FFxx), then "41" stays text.
    #expect(Transformation.cssDecode.apply(Array("\\0000ff41".utf8), context: noContext) == [0xFF, 0x34, 0x31])
  }

  static let commandLinesCases: [TransformationCase] = [
    .init(.cmdLine, "", ""),
    .init(.cmdLine, "ls -la", "ls -la"),
    .init(.cmdLine, "C^md.Exe /c \"dir\"", "cmd.exe/c dir"),
    .init(.cmdLine, "ec'h'o\\ hi", "echo hi"),
    .init(.cmdLine, "a,;\t\r\n b", "a b"),
    .init(.cmdLine, "a   (b) ,/c", "a(b)/c"),
    .init(.cmdLine, "a ' b", "a b"),
    .init(.cmdLine, " /x", "/x"),
    .init(.cmdLine, "x  ", "x "),
    .init(.cmdLine, "UNAME -A", "uname -a"),
  ]

  @Test(arguments: commandLinesCases) func commandLines(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  static let whitespaceCases: [TransformationCase] = [
    .init(.compressWhitespace, "", ""),
    .init(.compressWhitespace, "a b", "a b"),
    .init(.compressWhitespace, "  a \t\n\u{0B}\u{0C}\r b  ", " a b "),
    .init(.compressWhitespace, "a\tb", "a b"),
    .init(.removeWhitespace, " a\tb\nc\u{0B}d\u{0C}e\rf ", "abcdef"),
    .init(.removeWhitespace, "abc", "abc"),
    .init(.trim, " \t a b \r\n", "a b"),
    .init(.trim, "ab", "ab"),
    .init(.trim, "   ", ""),
    .init(.trimLeft, "  a b  ", "a b  "),
    .init(.trimRight, "  a b  ", "  a b"),
    .init(.removeNulls, "a\u{0}b\u{0}", "ab"),
    .init(.replaceNulls, "a\u{0}b\u{0}", "a b "),
    .init(.lowercase, "ABC def \u{C9}", "abc def \u{C9}"),
    .init(.uppercase, "abc DEF", "ABC DEF"),
  ]

  @Test(arguments: whitespaceCases) func whitespaceAndCase(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func removeWhitespaceDropsNonBreakingSpace() {
    #expect(
      Transformation.removeWhitespace.apply([0x61, 0xA0, 0x62, 0xC2, 0xA0], context: noContext) == [0x61, 0x62, 0xC2])
    // compressWhitespace and trim use plain isspace: NBSP stays.
    #expect(Transformation.compressWhitespace.apply([0x61, 0xA0, 0x62], context: noContext) == [0x61, 0xA0, 0x62])
    #expect(Transformation.lowercase.apply([0xC9, 0x41], context: noContext) == [0xC9, 0x61])
  }

  static let commentsCases: [TransformationCase] = [
    .init(.replaceComments, "", ""),
    .init(.replaceComments, "a/* x */b", "a b"),
    .init(.replaceComments, "a/**/b/*c", "a b "),
    .init(.replaceComments, "a */ b", "a */ b"),
    .init(.replaceComments, "1/*!50000union*/select", "1 select"),
    .init(.removeCommentsChar, "a/*b*/c", "abc"),
    .init(.removeCommentsChar, "<!--x-->y#z--w", "xyzw"),
    .init(.removeCommentsChar, "a-b", "a-b"),
    .init(.removeCommentsChar, "--->", "->"),
    .init(.removeComments, "/* TestCase */", ""),
    .init(.removeComments, "Before/* TestCase */After", "BeforeAfter"),
    .init(.removeComments, "Before TestCase */ After", "Before TestCase */ After"),
    .init(.removeComments, "/*Before/* Test\r\nCase ", " "),
    .init(.removeComments, "Before /* */ ops */ Test\nCase ", "Before  ops */ Test\nCase "),
    .init(.removeComments, "SELECT/**//**/UNION", "SELECTUNION"),
    .init(.removeComments, "foo<!-- comment 1 --><!-- comment 2 -->bar", "foobar"),
    .init(.removeComments, "select 1 -- rest", "select 1 "),
    .init(.removeComments, "a#b", "a"),
  ]

  @Test(arguments: commentsCases) func comments(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  static let pathsCases: [TransformationCase] = [
    .init(.normalizePath, "", ""),
    .init(.normalizePath, "/foo/bar/baz", "/foo/bar/baz"),
    .init(.normalizePath, "x", "x"),
    .init(.normalizePath, ".", ""),
    .init(.normalizePath, "./", ""),
    .init(.normalizePath, "./..", ".."),
    .init(.normalizePath, "./../", "../"),
    .init(.normalizePath, "..", ".."),
    .init(.normalizePath, "../.", ".."),
    .init(.normalizePath, ".././", "../"),
    .init(.normalizePath, "../..", "../.."),
    .init(.normalizePath, "/dir/foo//bar", "/dir/foo/bar"),
    .init(.normalizePath, "dir/foo//bar/", "dir/foo/bar/"),
    .init(.normalizePath, "dir/../foo", "foo"),
    .init(.normalizePath, "dir/../../foo", "../foo"),
    .init(.normalizePath, "dir/./.././../../foo/bar", "../../foo/bar"),
    .init(.normalizePath, "dir/./.././../../foo/bar/.", "../../foo/bar"),
    .init(.normalizePath, "dir/./.././../../foo/bar/..", "../../foo"),
    .init(.normalizePath, "dir/./.././../../foo/bar/../", "../../foo/"),
    .init(.normalizePath, "dir//.//..//.//..//..//foo//bar//", "../../foo/bar/"),
    .init(.normalizePath, "dir/subdir/subsubdir/subsubsubdir/../../..", "dir"),
    .init(.normalizePath, "/dir/./subdir/../subsubdir/../subsubsubdir/../", "/dir/"),
    .init(.normalizePath, "/./.././../../../../../../../\u{0}/../etc/./passwd", "/etc/passwd"),
    .init(.normalizePath, "/etc/../../../etc/passwd", "/etc/passwd"),
    .init(.normalizePath, "a\\b\\..\\c", "a\\b\\..\\c"),
    .init(.normalizePathWin, "a\\b\\..\\c", "a/c"),
    .init(.normalizePathWin, "C:\\Windows\\..\\boot.ini", "C:/boot.ini"),
    .init(.normalizePathWin, "\\\\server\\\\share\\.\\x", "/server/share/x"),
    .init(.normalizePathWin, "..\\..\\x\\", "../../x/"),
    .init(.normalizePathWin, "\\foo\\bar\\baz", "/foo/bar/baz"),
    .init(.normalizePathWin, ".\\..\\", "../"),
    .init(.normalizePathWin, "..\\.", ".."),
    .init(.normalizePathWin, "dir\\\\.\\\\..\\\\.\\\\..\\\\..\\\\foo\\\\bar\\\\", "../../foo/bar/"),
    .init(.normalizePathWin, "\\dir\\.\\subdir\\..\\subsubdir\\..\\subsubsubdir\\..\\", "/dir/"),
    .init(.normalizePathWin, "dir/mixed\\..\\x", "dir/x"),
  ]

  @Test(arguments: pathsCases) func paths(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  static let encodingsCases: [TransformationCase] = [
    .init(.base64Decode, "", ""),
    .init(.base64Decode, "VGVzdENhc2U=", "TestCase"),
    .init(.base64Decode, "VGVzdENhc2Ux", "TestCase1"),
    .init(.base64Decode, "VGVzdENhc2UxMg==", "TestCase12"),
    .init(.base64Decode, "VGVzdENhc2U=\u{0}VGVzdENhc2U=", "TestCase"),
    .init(.base64Decode, "VGVz\r\ndENh\nc2U=", "TestCase"),
    .init(.base64Decode, "VGVzdENhc2U", "TestCa"),
    .init(.base64Decode, "VGVz dENhc2U=", ""),
    .init(.base64Decode, "VGVzdENhc2U=x", ""),
    .init(.base64Decode, "VG.zdA==", ""),
    .init(.base64DecodeExt, "", ""),
    .init(.base64DecodeExt, "VGVzdENhc2U=", "TestCase"),
    .init(.base64DecodeExt, "VGVzdENhc2UxMg==", "TestCase12"),
    .init(.base64DecodeExt, "P.HNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "<script>alert(1)</script>"),
    .init(.base64DecodeExt, "dzBzV==YWxlcnQoMSk=", ""),
    .init(
      .base64DecodeExt, "eyJwIjoieHh-IiwiYWxnIjoibm9uZSIsInR5cCI6IkpXVCJ9",
      "{\"p\":\"xx~\",\"alg\":\"none\",\"typ\":\"JWT\"}"),
    .init(.base64DecodeExt, "VG Vz\tdA", "Test"),
    .init(.base64Encode, "", ""),
    .init(.base64Encode, "TestCase", "VGVzdENhc2U="),
    .init(.base64Encode, "TestCase1", "VGVzdENhc2Ux"),
    .init(.base64Encode, "TestCase12", "VGVzdENhc2UxMg=="),
    .init(.hexEncode, "", ""),
    .init(.hexEncode, "TestCase", "5465737443617365"),
    .init(.hexDecode, "5465737443617365", "TestCase"),
    .init(.hexDecode, "0z", "#"),
    .init(.sqlHexDecode, "0x414243", "ABC"),
    .init(.sqlHexDecode, "ABC", "ABC"),
    .init(.sqlHexDecode, "00x414243", "0ABC"),
    .init(.sqlHexDecode, "0xz0x414243", "0xzABC"),
    .init(.sqlHexDecode, "0x4142430x434241", "ABCCBA"),
    .init(.sqlHexDecode, "0x4142430x0x434241", "ABC0xCBA"),
    .init(.sqlHexDecode, "0X41424", "AB4"),
    .init(.urlEncode, "", ""),
    .init(.urlEncode, "abcXYZ019*", "abcXYZ019*"),
    .init(.urlEncode, "a b/c=d-e.f", "a+b%2fc%3dd%2de%2ef"),
    .init(.urlEncode, "%0g ", "%250g+"),
    .init(.urlEncode, "%%", "%25%25"),
    .init(.length, "", "0"),
    .init(.length, "TestCase", "8"),
  ]

  @Test(arguments: encodingsCases) func encodings(_ test: TransformationCase) {
    #expect(test.transformation.apply(test.input, context: noContext) == test.output)
  }

  @Test func hexDecodeBinary() {
    #expect(
      Transformation.hexDecode.apply(Array("01234567890a0".utf8), context: noContext) == [
        0x01, 0x23, 0x45, 0x67, 0x89, 0x0A,
      ])
    #expect(Transformation.hexDecode.apply(Array("ff00".utf8), context: noContext) == [0xFF, 0x00])
    #expect(Transformation.urlEncode.apply([0xFF, 0x00], context: noContext) == Array("%ff%00".utf8))
  }

  @Test func base64DecodeExtDropsIncompleteGroups() {
    // "QUJD" is "ABC"; a trailing lone symbol is dropped, not turned into garbage.
    #expect(Transformation.base64DecodeExt.apply(Array("QUJDR".utf8), context: noContext) == Array("ABC".utf8))
    // Upstream compares the last decoded value with '=': a trailing '9' after a group start empties.
    #expect(Transformation.base64DecodeExt.apply(Array("QUJD9".utf8), context: noContext) == [])
  }

  // MARK: - Digests

  @Test func digests() {
    let hex = { (bytes: [UInt8]) in
      String(decoding: Transformation.hexEncode.apply(bytes, context: noContext), as: UTF8.self)
    }
    let md5 = { (text: String) in hex(Transformation.md5.apply(Array(text.utf8), context: noContext)) }
    let sha1 = { (text: String) in hex(Transformation.sha1.apply(Array(text.utf8), context: noContext)) }
    #expect(md5("") == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(md5("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6")
    #expect(md5(String(repeating: "a", count: 1000)) == "cabe45dcc9ae5b66ba86600cca6b8ba8")
    #expect(sha1("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    #expect(sha1("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(sha1("The quick brown fox jumps over the lazy dog") == "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")
    #expect(
      sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    #expect(Transformation.md5.apply([], context: noContext).count == 16)
    #expect(Transformation.sha1.apply([], context: noContext).count == 20)
  }

  // MARK: - Parity

  @Test func parity() {
    let input: [UInt8] = [0x00, 0x01, 0x03, 0x41, 0xC1, 0xFF]
    #expect(Transformation.parityZero7bit.apply(input, context: noContext) == [0x00, 0x01, 0x03, 0x41, 0x41, 0x7F])
    // Even parity over the 8-bit byte: odd number of set bits -> set bit 7.
    #expect(Transformation.parityEven7bit.apply(input, context: noContext) == [0x00, 0x81, 0x03, 0x41, 0xC1, 0x7F])
    #expect(Transformation.parityOdd7bit.apply(input, context: noContext) == [0x80, 0x01, 0x83, 0xC1, 0x41, 0xFF])
  }

  // MARK: - utf8toUnicode

  @Test func utf8toUnicode() {
    let convert = { (bytes: [UInt8]) in
      String(decoding: Transformation.utf8toUnicode.apply(bytes, context: noContext), as: UTF8.self)
    }
    #expect(convert(Array("abc".utf8)) == "abc")
    #expect(convert(Array("é".utf8)) == "%u00e9")
    #expect(convert(Array("a€b".utf8)) == "a%u20acb")
    #expect(convert(Array("😀".utf8)) == "%u1f600")
    #expect(convert(Array("\u{FF1C}script".utf8)) == "%uff1cscript")
    #expect(convert([0x61, 0x00, 0x62]) == "ab")  // NULs dropped
    #expect(convert([0xC3, 0x41]) == "A")  // broken sequence: lead byte dropped
    #expect(Transformation.utf8toUnicode.apply([0x80, 0xFF], context: noContext) == [0x80, 0xFF])
    // Overlong `/` (C0 AF): %u002f followed by the raw lead byte.
    #expect(Transformation.utf8toUnicode.apply([0xC0, 0xAF], context: noContext) == Array("%u002f".utf8) + [0xC0])
    // Surrogate ED A0 80: %ud800 followed by the raw lead byte.
    #expect(
      Transformation.utf8toUnicode.apply([0xED, 0xA0, 0x80], context: noContext) == Array("%ud800".utf8) + [0xED])
  }

  // MARK: - Identity and no-copy

  @Test func unchangedInputIsReturnedAsIs() {
    let input = Array("plain-text_value".utf8)
    for transformation in [
      Transformation.urlDecode, .urlDecodeUni, .htmlEntityDecode, .jsDecode, .cssDecode, .escapeSeqDecode,
      .lowercase, .removeNulls, .removeWhitespace, .compressWhitespace, .trim, .replaceComments,
      .normalizePath, .normalizePathWin, .utf8toUnicode, .none, .sqlHexDecode, .replaceNulls,
    ] {
      let output = transformation.apply(input, context: noContext)
      #expect(output == input, "\(transformation.rawValue)")
    }
    #expect(Transformation.none.apply([0x41, 0x25], context: noContext) == [0x41, 0x25])
  }

  @Test func everyTransformationSurvivesHostileBytes() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let alphabet: [UInt8] =
      Array("%uUxX&#;\\/*-<!>.0123456789abcdefABCDEF \t\n\u{0}=+'\"^,()".utf8) + [0x80, 0xA0, 0xC3, 0xE2, 0xF0, 0xFF]
    for _ in 0..<300 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let length = Int(state >> 58)
      var input: [UInt8] = []
      for n in 0..<length {
        let r = (state >> UInt64(n % 50)) &+ UInt64(n) &* 0x9E37
        input.append(alphabet[Int(r % UInt64(alphabet.count))])
      }
      for transformation in Transformation.allCases {
        _ = transformation.apply(input, context: noContext)
      }
    }
  }

  // MARK: - Unicode map

  @Test func unicodeMapParsesInlineContent() throws {
    let text = """
      (MAC - Roman)

      1250  (ANSI - Central Europe)
      00a1:21 00a2:63

      20127 (US-ASCII)
      00a0:20 00c0:41 ff21:41
      2018:27

      20261 (T.61)
      f8dd:5c
      """
    let map = try UnicodeMap(contents: Array(text.utf8), codePage: 20127)
    #expect(map.map(0x00A0) == 0x20)
    #expect(map.map(0x00C0) == 0x41)
    #expect(map.map(0x2018) == 0x27)
    #expect(map.map(0x00A1) == nil)  // belongs to 1250
    #expect(map.map(0xF8DD) == nil)  // belongs to 20261
    #expect(map.map(0x3002) == 0x2E)  // built-in dots
    #expect(map.map(0xFF61) == 0x2E)
    #expect(map.map(0x10000) == nil)

    let context = TransformationContext(unicodeMap: map)
    let decoded = Transformation.urlDecodeUni.apply(Array("%u00c0%u2018%u00e9%uff41%u3002".utf8), context: context)
    // Mapped entries win; unmapped ones fall back to the low byte (+0x20 for full-width).
    #expect(decoded == [0x41, 0x27, 0xE9, 0x61, 0x2E])
  }

  @Test func unicodeMapErrors() {
    #expect(throws: UnicodeMapError.codePageNotFound(437)) {
      try UnicodeMap(contents: Array("20127 (US-ASCII)\n00a0:20\n".utf8), codePage: 437)
    }
    #expect(throws: UnicodeMapError.malformedMapping(line: 3, token: "zz:20")) {
      try UnicodeMap(contents: Array("20127 (US-ASCII)\n00a0:20\nzz:20\n".utf8), codePage: 20127)
    }
  }

  @Test func unicodeMapFromModSecurityFile() throws {
    guard let contents = readWholeFile(unicodeMappingPath) else {
      print("⚠️ skipped: \(unicodeMappingPath) not present (../shared conformance data)")
      return
    }
    let map = try UnicodeMap(contents: contents, codePage: 20127)
    #expect(map.map(0x00A0) == 0x20)
    #expect(map.map(0x00C0) == 0x41)
    #expect(map.map(0x2122) == 0x54)
    #expect(map.map(0xFF5E) == 0x7E)
    #expect(map.map(0x0041) == nil)
    let context = TransformationContext(unicodeMap: map)
    let decoded = Transformation.urlDecodeUni.apply(Array("%u2018%u0041%uff0e%u201c".utf8), context: context)
    #expect(decoded == Array("'A.\"".utf8))
    // Other code pages load too.
    _ = try UnicodeMap(contents: contents, codePage: 1252)
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

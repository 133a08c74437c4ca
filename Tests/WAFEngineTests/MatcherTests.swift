import Glibc
import Testing

@testable import WAFEngine

let crsRulesDirectory = "/work/shared/conformance/waf/crs-v4/rules"

/// File names in a directory ending with `suffix`, sorted; `nil` when the directory is missing.
func crsFiles(endingWith suffix: String) -> [String]? {
  guard let directory = opendir(crsRulesDirectory) else { return nil }
  defer { closedir(directory) }
  var names: [String] = []
  while let entry = readdir(directory) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    if name.hasSuffix(suffix) { names.append(name) }
  }
  return names.sorted()
}

/// The non-comment lines of every CRS `.conf` file.
func crsRuleLines() -> [String]? {
  guard let names = crsFiles(endingWith: ".conf") else { return nil }
  var lines: [String] = []
  for name in names {
    guard let bytes = readWholeFile(crsRulesDirectory + "/" + name) else { continue }
    for line in bytes.split(separator: 0x0A) {
      let text = String(decoding: line, as: UTF8.self)
      if text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#") { continue }
      lines.append(text)
    }
  }
  return lines
}

/// The argument of every `@name ` operator in `lines` (up to the closing quote).
func operatorArguments(_ name: String, in lines: [String]) -> [String] {
  var arguments: [String] = []
  for line in lines {
    var rest = Substring(line)
    while let range = rest.firstRange(of: "@" + name + " ") {
      let tail = rest[range.upperBound...]
      let argument = tail.prefix(while: { $0 != "\"" })
      arguments.append(String(argument))
      rest = tail.dropFirst(argument.count)
    }
  }
  return arguments
}

@Suite struct MatcherTests {
  // MARK: - Aho-Corasick

  private func phrases(_ words: String...) -> [[UInt8]] { words.map { Array($0.utf8) } }

  /// The reported phrase (`TX.0`) and its range.
  private func match(_ matcher: AhoCorasick, _ text: String) -> (String, Range<Int>)? {
    guard let found = matcher.firstMatch(in: Array(text.utf8)) else { return nil }
    return (String(decoding: found.capture, as: UTF8.self), found.range)
  }

  @Test func ahoCorasickFindsPhrasesAnywhereIgnoringCase() throws {
    let matcher = AhoCorasick(patterns: phrases("nikto", "sqlmap", "<script"))
    #expect(match(matcher, "Mozilla/5.0 NiKtO/2.1")?.0 == "nikto")
    #expect(match(matcher, "Mozilla/5.0 NiKtO/2.1")?.1 == 12..<17)
    #expect(match(matcher, "x=<SCRIPT>alert(1)")?.0 == "<script")
    #expect(match(matcher, "curl/8.0") == nil)
    #expect(match(matcher, "") == nil)
    #expect(match(matcher, "sqlma") == nil)
  }

  @Test func ahoCorasickReportsEarliestEndThenLongest() throws {
    let matcher = AhoCorasick(patterns: phrases("he", "she", "hers", "his"))
    // "ushers": "she" and "he" both end at index 3; the longer one is reported.
    #expect(match(matcher, "ushers")?.0 == "she")
    #expect(match(matcher, "ushers")?.1 == 1..<4)
    #expect(match(matcher, "ahis")?.0 == "his")
    // Only a shorter phrase ends inside a longer partial match: acmp reports the partial path.
    let nested = AhoCorasick(patterns: phrases("abcd", "bc", "c"))
    #expect(nested.firstMatch(in: Array("xabcd".utf8))?.patternIndex == 1)
    #expect(match(nested, "xabcd")?.0 == "abc")
    #expect(match(nested, "xabcd")?.1 == 1..<4)
    // The reported spelling is the phrase that created the trie path.
    let spelled = AhoCorasick(patterns: phrases("NiKTO", "nikto"))
    #expect(match(spelled, "x nikto")?.0 == "NiKTO")
    let suffix = AhoCorasick(patterns: phrases("aaab", "ab"))
    #expect(match(suffix, "aaaab")?.0 == "aaab")
  }

  @Test func ahoCorasickBinaryAndDuplicates() {
    let matcher = AhoCorasick(patterns: [[0x00, 0x7F], [0x41], [0x61], [], [0x62, 0xFF]])
    #expect(matcher.firstMatch(in: [0x10, 0x00, 0x7F])?.patternIndex == 0)
    #expect(matcher.firstMatch(in: [0x62, 0xFF]) == nil)
    #expect(matcher.firstMatch(in: [0x61])?.patternIndex == 1)  // 'A' and 'a' fold; first wins
    #expect(matcher.firstMatch(in: [0x10]) == nil)
    let empty = AhoCorasick(patterns: [])
    #expect(empty.firstMatch(in: [0x41]) == nil)
  }

  @Test func ahoCorasickAgreesWithNaiveSearch() {
    var state: UInt64 = 42
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    let alphabet = Array("abcAB".utf8)
    for _ in 0..<200 {
      var patterns: [[UInt8]] = []
      for _ in 0..<Int(next() % 6 + 1) {
        patterns.append((0..<Int(next() % 4 + 1)).map { _ in alphabet[Int(next() % 5)] })
      }
      let text = (0..<Int(next() % 20)).map { _ in alphabet[Int(next() % 5)] }
      let matcher = AhoCorasick(patterns: patterns, failureLinks: .complete)
      // Naive: earliest end, then longest, then lowest index.
      let lowered = text.map(ByteClass.lower)
      var expected: (Int, Range<Int>)?
      search: for end in 1...max(text.count, 1) where end <= text.count {
        var best: (Int, Int)?
        for (index, pattern) in patterns.enumerated() where pattern.count <= end {
          let start = end - pattern.count
          if Array(lowered[start..<end]) == pattern.map(ByteClass.lower) {
            if best == nil || pattern.count > best!.1 { best = (index, pattern.count) }
          }
        }
        if let best {
          expected = (best.0, (end - best.1)..<end)
          break search
        }
      }
      let found = matcher.firstMatch(in: text)
      #expect(found?.range.upperBound == expected?.1.upperBound)
      if let found, let expected {
        #expect(patterns[found.patternIndex].map(ByteClass.lower) == patterns[expected.0].map(ByteClass.lower))
        #expect(found.capture.map(ByteClass.lower) == Array(lowered[found.range]))
        #expect(found.range.count >= expected.1.count)
      }
    }
  }

  @Test func phraseScanSetAgreesWithSingleScans() {
    var state: UInt64 = 7
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    let alphabet = Array("abcdAB-".utf8)
    // 1 to 9 automata: whole chunks of four, partial ones and idle lanes.
    for round in 0..<300 {
      let automata = (0..<Int(next() % 9 + 1)).map { _ in
        let patterns = (0..<Int(next() % 5 + 1)).map { _ in (0..<Int(next() % 4 + 1)).map { _ in alphabet[Int(next() % 7)] } }
        return AhoCorasick(patterns: patterns, failureLinks: round % 2 == 0 ? .modSecurity : .complete)
      }
      let set = PhraseScanSet(automata)
      let text = (0..<Int(next() % 40)).map { _ in alphabet[Int(next() % 7)] }
      var results = [Int32](repeating: 99, count: automata.count)
      text.withUnsafeBufferPointer { input in results.withUnsafeMutableBufferPointer { set.firstPhraseIndexes(in: input, into: $0) } }
      for (lane, automaton) in automata.enumerated() {
        #expect(Int(results[lane]) == (automaton.firstMatch(in: text)?.patternIndex ?? -1))
      }
    }
  }

  @Test func acmpFailureLinksLookOneLevel() {
    let phrases = phrases("zabcd", "abd", "bc")
    let modSecurity = AhoCorasick(patterns: phrases)
    #expect(modSecurity.firstMatch(in: Array("zabce".utf8)) == nil)
    #expect(modSecurity.firstMatch(in: Array("xbc".utf8))?.patternIndex == 2)
    let complete = AhoCorasick(patterns: phrases, failureLinks: .complete)
    let found = complete.firstMatch(in: Array("zabce".utf8))
    #expect(found?.patternIndex == 2)
    #expect(found.map { String(decoding: $0.capture, as: UTF8.self) } == "zabc")
  }

  @Test func nonASCIIPhraseBytesNeverMatch() {
    // acmp compares signed phrase chars with unsigned input bytes (x86-64 ModSecurity).
    let matcher = AhoCorasick(patterns: [Array("169\u{3002}254".utf8), Array("abc".utf8)])
    #expect(matcher.firstMatch(in: Array("http://169\u{3002}254".utf8)) == nil)
    #expect(matcher.firstMatch(in: Array("xABC".utf8))?.patternIndex == 1)
    #expect(matcher.firstMatch(in: [0xE3, 0x80, 0x82]) == nil)
  }

  @Test func pmArgumentParsing() {
    let split = { (argument: String) in
      AhoCorasick.phrases(fromArgument: argument).map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(split("gzip compress deflate br zstd") == ["gzip", "compress", "deflate", "br", "zstd"])
    #expect(split("  a\tb  ") == ["a", "b"])
    #expect(split("( )") == ["(", ")"])
    #expect(split("\"quoted phrase\"") == ["quoted", "phrase"])
    // v3 writes the unescaped bytes over the argument without shortening it.
    #expect(split("a\\;b") == ["a;bb"])
    #expect(split("a\\;b c\\:d") == ["a;b", "c:d:d"])
    // Inside |...| v3 accepts only a-f/A-F as hex digits.
    #expect(split("|41 42|c") == ["c41", "42|c"])
    #expect(AhoCorasick.phrases(fromArgument: "|ab|x") == [[0xAB, 0x78, 0x62, 0x7C, 0x78]])
    #expect(split("document.cookie <!-- <![cdata[") == ["document.cookie", "<!--", "<![cdata["])
    #expect(split("") == [])
    // An unsupported escape makes ModSecurity use the raw argument.
    #expect(split("a\\x b") == ["a\\x", "b"])
  }

  @Test func pmFromFileParsing() {
    let file = Array("# comment\n\nfoo\n  # indented comment\n bar baz\nqux\r\n#x\nlast".utf8)
    let parsed = AhoCorasick.phrases(fromFile: file).map { String(decoding: $0, as: UTF8.self) }
    #expect(parsed == ["foo", " bar baz", "qux\r", "last"])
  }

  @Test func pmFromFileOverCRSData() throws {
    guard let contents = readWholeFile(crsRulesDirectory + "/unix-shell.data"),
      let restricted = readWholeFile(crsRulesDirectory + "/restricted-files.data")
    else {
      print("⚠️ skipped: CRS data files not present under \(crsRulesDirectory)")
      return
    }
    let shell = AhoCorasick(patterns: AhoCorasick.phrases(fromFile: contents))
    #expect(shell.patterns.count > 100)
    #expect(shell.firstMatch(in: Array("x=;/bin/bash -c id".utf8)) != nil)
    let files = AhoCorasick(patterns: AhoCorasick.phrases(fromFile: restricted))
    #expect(files.firstMatch(in: Array("/app/.GIT/config".utf8)) != nil)
    #expect(files.firstMatch(in: Array("/index.html".utf8)) == nil)
  }

  @Test func crsPhraseListsAndArgumentsLoad() throws {
    guard let dataFiles = crsFiles(endingWith: ".data"), let lines = crsRuleLines() else {
      print("⚠️ skipped: CRS rules not present under \(crsRulesDirectory)")
      return
    }
    #expect(dataFiles.count >= 15)
    for name in dataFiles {
      guard let contents = readWholeFile(crsRulesDirectory + "/" + name) else {
        Issue.record("cannot read \(name)")
        continue
      }
      let phrases = AhoCorasick.phrases(fromFile: contents)
      #expect(!phrases.isEmpty, "\(name)")
      let matcher = AhoCorasick(patterns: phrases)
      // Every ASCII phrase finds itself, upper-cased, inside other text.
      for (index, phrase) in phrases.enumerated() where phrase.allSatisfy({ $0 < 0x80 }) {
        let haystack = Array("<<".utf8) + phrase.map(ByteClass.upper) + Array(">>".utf8)
        guard let found = matcher.firstMatch(in: haystack) else {
          Issue.record("\(name): phrase \(index) not found")
          continue
        }
        #expect(found.range.upperBound <= 2 + phrase.count)
      }
    }
    let pmArguments = operatorArguments("pm", in: lines)
    #expect(pmArguments.count >= 10)
    for argument in pmArguments { #expect(!AhoCorasick.phrases(fromArgument: argument).isEmpty, "\(argument)") }
    let ranges = operatorArguments("validateByteRange", in: lines)
    #expect(ranges.count >= 5)
    for argument in ranges { #expect(throws: Never.self) { try ByteRangeSet(parsing: argument) } }
  }

  // MARK: - Byte ranges

  @Test func byteRanges() throws {
    let printable = try ByteRangeSet(parsing: "32-36,38-126")
    #expect(printable.contains(0x20))
    #expect(!printable.contains(0x25))
    #expect(printable.contains(0x7E))
    #expect(!printable.contains(0x7F))
    #expect(printable.firstInvalid(in: Array("abc def".utf8)) == nil)
    #expect(printable.firstInvalid(in: Array("abc%def".utf8)) == 3)
    let all = try ByteRangeSet(parsing: "1-255")
    #expect(all.firstInvalid(in: [1, 2, 255]) == nil)
    #expect(all.firstInvalid(in: [1, 0]) == 1)
    let single = try ByteRangeSet(parsing: "9, 10 ,13,32-126")
    #expect(single.contains(9) && single.contains(10) && single.contains(13) && !single.contains(11))
    #expect(try ByteRangeSet(parsing: "0-255").firstInvalid(in: Array(0...255)) == nil)
  }

  @Test func byteRangeErrors() {
    #expect(throws: ByteRangeSetError.notANumber(element: "abc")) { try ByteRangeSet(parsing: "abc") }
    #expect(throws: ByteRangeSetError.notANumber(element: "1-")) { try ByteRangeSet(parsing: "1-") }
    #expect(throws: ByteRangeSetError.notANumber(element: "")) { try ByteRangeSet(parsing: "1,,2") }
    #expect(throws: ByteRangeSetError.outOfRange(element: "1-256")) { try ByteRangeSet(parsing: "1-256") }
    #expect(throws: ByteRangeSetError.outOfRange(element: "300")) { try ByteRangeSet(parsing: "300") }
    #expect(throws: ByteRangeSetError.reversedRange(element: "200-100")) { try ByteRangeSet(parsing: "200-100") }
  }

  // MARK: - Encoding validation

  @Test func urlEncodingValidation() {
    let check = { (text: String) in EncodingValidation.validateUrlEncoding(Array(text.utf8)) }
    #expect(check("") == .valid)
    #expect(check("a=b&c=%41%2f") == .valid)
    #expect(check("100%") == .notEnoughCharacters(offset: 3))
    #expect(check("%4") == .notEnoughCharacters(offset: 0))
    #expect(check("a%zz") == .nonHexadecimalDigits(offset: 1))
    #expect(check("%41%g1%") == .nonHexadecimalDigits(offset: 3))
    #expect(check("%u0041") == .nonHexadecimalDigits(offset: 0))
    #expect(check("%zz").isInvalid && !check("%20").isInvalid)
  }

  @Test func utf8EncodingValidation() {
    let check = { (bytes: [UInt8]) in EncodingValidation.validateUtf8Encoding(bytes) }
    #expect(check(Array("plain ascii".utf8)) == .valid)
    #expect(check(Array("é€😀".utf8)) == .valid)
    #expect(check([0x41, 0xC3]) == .notEnoughBytes(offset: 1))
    #expect(check([0xE2, 0x82]) == .notEnoughBytes(offset: 0))
    #expect(check([0xC3, 0x41]) == .invalidByte(offset: 0))
    #expect(check([0x80]) == .invalidByte(offset: 0))
    #expect(check([0xF8, 0x80, 0x80, 0x80, 0x80]) == .invalidByte(offset: 0))
    #expect(check([0xC0, 0xAF]) == .overlong(offset: 0))
    #expect(check([0xE0, 0x80, 0xAF]) == .overlong(offset: 0))
    #expect(check([0xF0, 0x80, 0x80, 0xAF]) == .overlong(offset: 0))
    #expect(check([0xED, 0xA0, 0x80]) == .restrictedCharacter(offset: 0))
    #expect(check([0xF5, 0x80, 0x80, 0x80]) == .restrictedCharacter(offset: 0))
    // ModSecurity does not range-check F4 sequences: U+110000 passes.
    #expect(check([0xF4, 0x90, 0x80, 0x80]) == .valid)
    #expect(check([0x61, 0xC0, 0xAF]).message == "Invalid UTF-8 encoding: overlong character detected")
  }
}

import PolicyCore
import Testing

@testable import WAFEngine

/// Key patterns of the form `^literal` are answered by a byte comparison; it must select exactly
/// the keys the compiled pattern (caseless, dot-all, no UTF, no multiline) selects.
@Suite("collection key patterns")
struct KeySelectorTests {
  @Test("which patterns are literal prefixes")
  func literalPrefixes() {
    #expect(RuleTarget.Selector.literalPrefix(of: "^header_name_920450_") == Array("header_name_920450_".utf8))
    #expect(RuleTarget.Selector.literalPrefix(of: "^_PK_Ref") == Array("_pk_ref".utf8))
    #expect(RuleTarget.Selector.literalPrefix(of: "^") == [])
    for pattern in ["header_", "^pbjs-\\w+$", "^_ga(?:_\\w+)?$", "^a.b", "^a|b", "^a*", "^a$", "^[a]", "^a\\d", "^a b", "^a#b"] {
      #expect(RuleTarget.Selector.literalPrefix(of: pattern) == nil, "\(pattern)")
    }
  }

  @Test("a literal prefix selects the keys its regular expression selects")
  func agreesWithRegex() throws {
    let patterns = ["^header_name_920450_", "^_pk_ref", "^A-b:c/d=e@f,g;h!i&j~k%l", "^"]
    let keys = [
      "header_name_920450_x-forwarded-for", "HEADER_NAME_920450_", "header_name_92045", "xheader_name_920450_a",
      "_pk_ref.1.2", "_PK_REF", "_pk_re", "a-b:c/d=e@f,g;h!i&j~k%l", "A-B:C/D=E@F,G;H!I&J~K%L_more", "",
      "\nheader_name_920450_a", "h\u{e9}ader", "\u{c9}",
    ]
    guard let scratch = PCRE2Regex.Scratch(pairs: 16) else {
      Issue.record("no PCRE2 scratch")
      return
    }
    for pattern in patterns {
      let regex = try PCRE2Regex(pattern, options: [.caseless, .dotAll], limits: Limits())
      let prefix = try #require(RuleTarget.Selector.literalPrefix(of: pattern))
      let (test, owner) = KeyTest.compile(.regex(regex, source: pattern, literalPrefix: prefix))
      #expect(test.kind == .prefix)
      for key in keys {
        let bytes = Array(key.utf8)
        let expected = bytes.withUnsafeBufferPointer { regex.match($0, scratch: scratch) == .match }
        let keySpan = OwnedBytes(bytes)
        let lowered = OwnedBytes(asciiLowercased(bytes))
        let fast = test.selects(key: keySpan.span, loweredKey: lowered.span, scratch: Unmanaged.passUnretained(scratch))
        #expect(fast == expected, "/\(pattern)/ on '\(key)'")
        withExtendedLifetime((keySpan, lowered)) {}
      }
      withExtendedLifetime(owner) {}
    }
  }
}

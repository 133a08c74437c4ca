import Glibc
import PolicyCore
import Testing

@testable import WAFEngine

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
private func pairs(_ result: BodyParseResult) -> [String] {
  result.arguments.map { text($0.name) + "=" + text($0.value) }
}

// MARK: - URL-encoded

@Suite struct URLEncodedParserTests {
  @Test func splitsDecodesAndKeepsOrder() {
    let result = URLEncodedParser().parse(bytes("a=1&b=%41+c&d&=e&f=g=h"))
    #expect(pairs(result) == ["a=1", "b=A c", "d=", "=e", "f=g=h"])
    #expect(result.invalidEncodings == 0)
    #expect(result.error == nil)
  }

  @Test func emptyPiecesFollowGetline() {
    // Leading and inner empty pieces become empty arguments; a trailing separator adds nothing.
    #expect(pairs(URLEncodedParser().parse(bytes("&a=1&&b=2&"))) == ["=", "a=1", "=", "b=2"])
    #expect(URLEncodedParser().parse(bytes("")).arguments.isEmpty)
    #expect(pairs(URLEncodedParser().parse(bytes("&"))) == ["="])
  }

  @Test func invalidEscapesStayAndAreCounted() {
    let result = URLEncodedParser().parse(bytes("a=%zz&b=%4&c=%&%41%4g=1"))
    #expect(pairs(result) == ["a=%zz", "b=%4", "c=%", "A%4g=1"])
    #expect(result.invalidEncodings == 4)
    #expect(result.urlencodedError == 1)
  }

  @Test func decodesToAnyByte() {
    let result = URLEncodedParser().parse(bytes("x=%00%ff%C3%A9"))
    #expect(result.arguments.first?.value == [0x00, 0xFF, 0xC3, 0xA9])
  }

  @Test func customSeparator() {
    let result = URLEncodedParser(separator: UInt8(ascii: ";")).parse(bytes("a=1;b=2&c=3"))
    #expect(pairs(result) == ["a=1", "b=2&c=3"])
  }

  @Test func argumentsLimitSkipsSilently() {
    let parser = URLEncodedParser(argumentsLimit: 3)
    let result = parser.parse(bytes("a=1&b=2&c=3&d=4&e=%zz"))
    #expect(pairs(result) == ["a=1", "b=2", "c=3"])
    #expect(result.droppedArguments == 2)
    #expect(result.invalidEncodings == 1)  // skipped pieces are still decoded
    #expect(result.error == nil)
    // The query string's arguments count against the limit too.
    #expect(pairs(parser.parse(bytes("x=1&y=2"), existingArguments: 2)) == ["x=1"])
  }

  @Test func tenThousandArguments() {
    var body: [UInt8] = []
    for i in 0..<10_000 { body += bytes("k\(i)=v&") }
    #expect(URLEncodedParser().parse(body).arguments.count == 10_000)
    let limited = URLEncodedParser(argumentsLimit: 1000).parse(body)
    #expect(limited.arguments.count == 1000)
    #expect(limited.droppedArguments == 9000)
  }
}

// MARK: - Multipart

private let crlf = "\r\n"

private func multipart(_ lines: [String], separator: String = crlf) -> [UInt8] {
  bytes(lines.joined(separator: separator))
}

@Suite struct MultipartParserTests {
  let contentType = "multipart/form-data; boundary=XyZ"

  @Test func fieldsFilesAndHeaders() {
    let body = multipart([
      "--XyZ",
      "Content-Disposition: form-data; name=\"a\"",
      "",
      "one",
      "--XyZ",
      "Content-Disposition: form-data; name=\"up\"; filename=\"x.txt\"",
      "Content-Type: text/plain",
      "",
      "line1",
      "line2",
      "--XyZ--",
      "",
    ])
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(result.error == nil)
    #expect(pairs(result) == ["a=one"])
    #expect(result.files == [MultipartFile(fieldName: bytes("up"), fileName: bytes("x.txt"), size: 12)])
    #expect(result.filesCombinedSize == 12)
    #expect(
      result.partHeaders == [
        BodyArgument("a", "Content-Disposition: form-data; name=\"a\""),
        BodyArgument("up", "Content-Disposition: form-data; name=\"up\"; filename=\"x.txt\""),
        BodyArgument("up", "Content-Type: text/plain"),
      ])
    #expect(result.multipartNames == [bytes("a"), bytes("up")])
    #expect(result.multipartFileNames == [bytes("x.txt")])
    let flags = result.multipart ?? MultipartFlags()
    #expect(flags.strictError == 0)
    #expect(flags.unmatchedBoundary == 2)  // libmodsecurity sets 2 on every boundary after the first
    #expect(flags.crlfLine == 1 && flags.lfLine == 0)
  }

  @Test func multiLineFieldLosesItsLineEndings() {
    let body = multipart(["--XyZ", "Content-Disposition: form-data; name=t", "", "a", "b", "--XyZ--", ""])
    #expect(pairs(MultipartParser().parse(contentType: contentType, body: body)) == ["t=ab"])
  }

  @Test func emptyFileNameMakesAField() {
    let body = multipart([
      "--XyZ", "Content-Disposition: form-data; name=f; filename=\"\"", "", "data", "--XyZ--", "",
    ])
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(pairs(result) == ["f=data"])
    #expect(result.files.isEmpty)
  }

  @Test func contentTypeChecks() {
    let body = multipart(["--XyZ", "Content-Disposition: form-data; name=a", "", "1", "--XyZ--", ""])
    let cases: [(String, String?)] = [
      ("multipart/form-data; boundary=XyZ", nil),
      ("multipart/form-data", "Multipart: Boundary not found in C-T."),
      ("multipart/form-data; BOUNDARY=XyZ", "Multipart: Invalid boundary in C-T (case sensitivity)."),
      ("multipart/form-data; boundary=XyZ; boundary=a", "Multipart: Multiple boundary parameters in C-T."),
      ("multipart/form-data; x; boundary=XyZ", "Multipart: Invalid boundary in C-T (malformed)."),
      ("multipart/form-data; boundary=\"XyZ", "Multipart: Invalid boundary in C-T (quote)."),
      ("multipart/form-data; boundary=XyZ; charset=utf-8", "Multipart: Invalid boundary in C-T (characters)."),
      ("multipart/form-datax; boundary=XyZ", "Multipart: Invalid boundary in C-T (malformed)."),
      ("text/plain; boundary=XyZ", "Multipart: Invalid MIME type."),
      ("multipart/form-data; boundaryx=XyZ", "Multipart: Invalid boundary in C-T (parameter name)."),
      // count_boundary_params sees "boundary" inside the value followed by a later "=" (issue 3610).
      ("multipart/form-data;boundary=----geckoformboundary4a7a;charset=UTF-8", "Multipart: Multiple boundary parameters in C-T."),
      // An empty quoted boundary passes init (it returns -1 from a bool); then "--XyZ" is an
      // invalid boundary and no boundary was ever seen.
      ("multipart/form-data; boundary=\"\"", "Multipart: No boundaries found in payload."),
    ]
    for (header, message) in cases {
      let result = MultipartParser().parse(contentType: header, body: body)
      #expect(result.error == message.map { "Multipart parsing error: " + $0 }, "\(header)")
      #expect((result.multipart?.strictError ?? -1) == (message == nil ? 0 : 1), "\(header)")
    }
  }

  @Test func contentTypeFlags() {
    let body = multipart(["--XyZ", "Content-Disposition: form-data; name=a", "", "1", "--XyZ--", ""])
    let quoted = MultipartParser().parse(contentType: "multipart/form-data; boundary=\"XyZ\"", body: body)
    #expect(quoted.multipart?.boundaryQuoted == 1)
    #expect(quoted.multipart?.strictError == 1)
    #expect(pairs(quoted) == ["a=1"])
    let spaced = MultipartParser().parse(contentType: "multipart/form-data; boundary =XyZ", body: body)
    #expect(spaced.multipart?.boundaryWhitespace == 1)
    let noSemicolon = MultipartParser().parse(contentType: "multipart/form-data boundary=XyZ", body: body)
    #expect(noSemicolon.multipart?.missingSemicolon == 1)
    #expect(noSemicolon.error == nil)
  }

  @Test func lfLinesAndMixedEndings() {
    let lfBody = multipart(["--XyZ", "Content-Disposition: form-data; name=a", "", "1", "--XyZ--", ""], separator: "\n")
    let lf = MultipartParser().parse(contentType: contentType, body: lfBody)
    #expect(lf.error == nil)
    #expect(pairs(lf) == ["a=1"])
    #expect(lf.multipart?.lfLine == 1)
    #expect(lf.multipart?.crlfLFLines == 0)
    #expect(lf.multipart?.strictError == 1)
    let mixed = bytes("--XyZ\r\nContent-Disposition: form-data; name=a\n\r\n1\r\n--XyZ--\r\n")
    #expect(MultipartParser().parse(contentType: contentType, body: mixed).multipart?.crlfLFLines == 1)
  }

  @Test func dataBeforeAndAfter() {
    let body = bytes("junk\r\n--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--\r\ntrailer")
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(result.multipart?.dataBefore == 1)
    #expect(result.multipart?.dataAfter == 1)
    #expect(result.error == nil)
    #expect(pairs(result) == ["a=1"])
  }

  @Test func headerFolding() {
    let body = multipart([
      "--XyZ", "Content-Disposition: form-data;", "\tname=a", "", "1", "--XyZ", "Content-Disposition: form-data;",
      "\u{0B}name=b", "", "2", "--XyZ--", "",
    ])
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(result.multipart?.headerFolding == 1)
    #expect(result.multipart?.invalidHeaderFolding == 1)
    #expect(pairs(result) == ["a=1", "b=2"])
    #expect(
      result.partHeaders == [
        BodyArgument("a", "Content-Disposition: form-data; name=a"),
        BodyArgument("b", "Content-Disposition: form-data; name=b"),
      ])
  }

  @Test func invalidQuotingAndInvalidPart() {
    let body = multipart([
      "--XyZ", "Content-Disposition: form-data; name='a'", "", "1",
      "--XyZ", "Content-Disposition: form-data", "", "nameless",
      "--XyZ--", "",
    ])
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(result.multipart?.invalidQuoting == 1)
    #expect(result.multipart?.invalidPart == 1)
    #expect(pairs(result) == ["a=1"])
    #expect(
      result.partHeaders == [
        BodyArgument("a", "Content-Disposition: form-data; name='a'"),
        BodyArgument("", "Content-Disposition: form-data"),
      ])
    // The nameless part's empty line fails ("missing name field"), so it stays in its headers and
    // its content line is the last error.
    #expect(result.error == "Multipart parsing error: Multipart: Invalid part header (colon missing): nameless\r\n")
  }

  @Test func singleQuotesInsideDoubleQuotesAreFine() {
    let ok = multipart(["--XyZ", "Content-Disposition: form-data; name=\"a'b\"", "", "1", "--XyZ--", ""])
    #expect(MultipartParser().parse(contentType: contentType, body: ok).multipart?.invalidQuoting == 0)
    let bad = multipart(["--XyZ", "Content-Disposition: form-data; name=a'b", "", "1", "--XyZ--", ""])
    let result = MultipartParser().parse(contentType: contentType, body: bad)
    #expect(result.multipart?.invalidQuoting == 1)
    #expect(pairs(result) == ["a'b=1"])
  }

  @Test func partHeaderErrorsDoNotStopParsing() {
    // A part without Content-Disposition fails at its empty line and its content is then read
    // as headers; the error does not stop the parser: the next part still becomes an argument.
    // Header names compare case-insensitively.
    let body = multipart([
      "--XyZ", "X-Other: form-data; name=a", "", "1",
      "--XyZ", "content-DISPOSITION: form-data; name=c", "", "3",
      "--XyZ", "Content-Disposition: form-data; name=b", "", "2",
      "--XyZ--", "",
    ])
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(pairs(result) == ["c=3", "b=2"])
    #expect(result.error == "Multipart parsing error: Multipart: Invalid part header (colon missing): 1\r\n")
    #expect(result.multipart?.invalidPart == 1)
  }

  @Test func unmatchedBoundary() {
    let body = multipart([
      "--XyZ", "Content-Disposition: form-data; name=a", "", "x --XyZ y", "--XyZ--", "",
    ])
    #expect(MultipartParser().parse(contentType: contentType, body: body).multipart?.unmatchedBoundary == 2)
    let other = multipart(["--XyZ", "Content-Disposition: form-data; name=a", "", "--other", "--XyZ--", ""])
    let result = MultipartParser().parse(contentType: contentType, body: other)
    #expect(result.multipart?.unmatchedBoundary == 2)  // the final boundary overwrites the 1
    let last = multipart(["--XyZ", "Content-Disposition: form-data; name=a", "", "1", "--XyZ--", "", "--nope"])
    let tail = MultipartParser().parse(contentType: contentType, body: last)
    #expect(tail.multipart?.dataAfter == 1)
  }

  @Test func missingOrBrokenBoundaries() {
    let unterminated = multipart([
      "--XyZ", "Content-Disposition: form-data; name=a", "X-A: 1", "x-a: 2", "", "1", "--XyZ",
      "Content-Disposition: form-data; name=b", "", "2",
    ])
    let result = MultipartParser().parse(contentType: contentType, body: unterminated)
    #expect(result.error == "Multipart parsing error: Multipart: Final boundary missing.")
    #expect(result.arguments.isEmpty)
    // Headers of the parts that ended are there; the repeated header is ignored.
    #expect(
      result.partHeaders == [
        BodyArgument("a", "Content-Disposition: form-data; name=a"), BodyArgument("a", "X-A: 1"),
      ])

    let none = MultipartParser().parse(contentType: contentType, body: bytes("just some text\r\n"))
    #expect(none.error == "Multipart parsing error: Multipart: No boundaries found in payload.")
    #expect(none.multipart?.dataBefore == 1)

    // The final boundary without a line ending is accepted.
    let bare = bytes("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--")
    let ok = MultipartParser().parse(contentType: contentType, body: bare)
    #expect(ok.error == nil)
    #expect(pairs(ok) == ["a=1"])

    let garbage = bytes("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ-- x\r\n")
    let bad = MultipartParser().parse(contentType: contentType, body: garbage)
    #expect(bad.error == "Multipart parsing error: Multipart: Final boundary missing.")
    #expect(bad.multipart?.parserError == 1)

    let empty = MultipartParser().parse(contentType: contentType, body: [])
    #expect(empty.error == nil)
    #expect(empty.arguments.isEmpty)
  }

  @Test func longLinesAndNulBytes() {
    let long = String(repeating: "v", count: 10_000)
    let body = multipart(["--XyZ", "Content-Disposition: form-data; name=a", "", long, "--XyZ--", ""])
    let result = MultipartParser().parse(contentType: contentType, body: body)
    #expect(result.arguments.first?.value.count == 10_000)
    #expect(result.error == nil)

    let longHeader = multipart(["--XyZ", "X-Long: " + long, "", "1", "--XyZ--", ""])
    let header = MultipartParser().parse(contentType: contentType, body: longHeader)
    #expect(header.error == "Multipart parsing error: Multipart: Final boundary missing.")

    var withNul = bytes("--XyZ\r\nContent-Disposition: form-data; name=a\r\nX: a")
    withNul += [0] + bytes("b\r\n\r\n1\r\n--XyZ--\r\n")
    let nul = MultipartParser().parse(contentType: contentType, body: withNul)
    #expect(nul.error == "Multipart parsing error: Multipart: Nul byte in part headers.")
  }

  @Test func fileLimit() {
    var lines: [String] = []
    for i in 0..<3 {
      lines += ["--XyZ", "Content-Disposition: form-data; name=f\(i); filename=f\(i).txt", "", "x"]
    }
    lines += ["--XyZ--", ""]
    let stored = MultipartParser(fileLimit: 2, storesFiles: true).parse(contentType: contentType, body: multipart(lines))
    #expect(stored.multipart?.fileLimitExceeded == 1)
    #expect(stored.files.count == 3)
    #expect(
      stored.error
        == "Multipart parsing error: Multipart: Upload file limit exceeded 2. Use SecUploadFileLimit to change the limit.")
    let notStored = MultipartParser(fileLimit: 2).parse(contentType: contentType, body: multipart(lines))
    #expect(notStored.multipart?.fileLimitExceeded == 0)
    #expect(notStored.error == nil)
  }

  @Test func hostileBodiesTerminate() {
    // Many tiny parts, a bounded part count, folding without end, dashes everywhere.
    var many: [UInt8] = []
    for i in 0..<20_000 { many += bytes("--XyZ\r\nContent-Disposition: form-data; name=p\(i)\r\n\r\nv\r\n") }
    many += bytes("--XyZ--\r\n")
    let result = MultipartParser().parse(contentType: contentType, body: many)
    #expect(result.error == "Multipart parsing error: Multipart: Final boundary missing.")
    #expect(result.multipart?.parserError == 1)

    var folding = bytes("--XyZ\r\nContent-Disposition: form-data; name=a\r\n")
    for _ in 0..<50_000 { folding += bytes(" more\r\n") }
    folding += bytes("\r\nv\r\n--XyZ--\r\n")
    let folded = MultipartParser().parse(contentType: contentType, body: folding)
    #expect(folded.multipart?.headerFolding == 1)
    #expect(folded.error != nil)

    let dashes = String(repeating: "-", count: 200)
    let dashType = "multipart/form-data; boundary=" + dashes + "a"
    let dashBody = bytes(String(repeating: String(repeating: "-", count: 4000) + "\r\n", count: 500))
    let scanned = MultipartParser().parse(contentType: dashType, body: dashBody)
    #expect(scanned.error != nil)

    // A large field of many short lines and a large file part stay linear.
    var big = bytes("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n")
    big += bytes(String(repeating: "0123456789\r\n", count: 200_000))
    big += bytes("--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n")
    big += bytes(String(repeating: "0123456789\n", count: 200_000))
    big += bytes("--XyZ--\r\n")
    let large = MultipartParser().parse(contentType: contentType, body: big)
    #expect(large.arguments.first?.value.count == 2_000_000)
    #expect(large.files.first?.size == 2_200_000 - 1)

    let randomish = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    _ = MultipartParser().parse(contentType: contentType, body: bytes("--XyZ\r\n") + randomish)
  }
}

// MARK: - JSON

@Suite struct JSONBodyProcessorTests {
  @Test func namesFollowLibmodsecurity() {
    let body = bytes(#"{"a":{"b":[1,{"c":2},[3,4]],"d":"x"},"e":true,"f":null,"g":-1.5e+3,"":"k","h":{},"i":[]}"#)
    let result = JSONBodyProcessor().parse(body)
    #expect(result.error == nil)
    #expect(
      pairs(result) == [
        "json.a.b.array_0=1", "json.a.b.array_1.c=2", "json.a.b.array_2.array_0=3", "json.a.b.array_2.array_1=4",
        "json.a.d=x", "json.e=true", "json.f=", "json.g=-1.5e+3", "json.empty-key=k",
      ])
  }

  @Test func topLevelArraysAndScalars() {
    #expect(pairs(JSONBodyProcessor().parse(bytes(#"[1,"a",{"k":[]},{"k":2}]"#))) == [
      "json.array_0=1", "json.array_1=a", "json.array_3.k=2",
    ])
    #expect(pairs(JSONBodyProcessor().parse(bytes("42"))) == ["json=42"])
    #expect(pairs(JSONBodyProcessor().parse(bytes(#"{"":{"":1}}"#))) == ["json.empty-key.empty-key=1"])
  }

  @Test func stringEscapes() {
    let result = JSONBodyProcessor().parse(bytes(#"{"k":"a\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00\u0000z"}"#))
    #expect(
      result.arguments.first?.value
        == bytes("a\"\\/\u{08}\u{0C}\n\r\tA\u{E9}\u{20AC}\u{1F600}") + [0] + bytes("z"))
    let lone = JSONBodyProcessor().parse(bytes(#"{"k":"\ud800xy"}"#))
    #expect(lone.arguments.first?.value == bytes("?y"))
  }

  @Test func errorsUseYajlTexts() {
    let cases: [(String, String)] = [
      ("{", "parse error: premature EOF\n"),
      ("   ", "parse error: premature EOF\n"),
      (#"{"a":1}x"#, "parse error: trailing garbage\n"),
      (#"{"a":1,}"#, "parse error: invalid object key (must be a string)\n"),
      (#"{"a" 1}"#, "parse error: object key and value must be separated by a colon (':')\n"),
      (#"{"a":1 "b":2}"#, "parse error: after key and value, inside map, I expect ',' or '}'\n"),
      ("[1 2]", "parse error: after array element, I expect ',' or ']'\n"),
      ("[1,]", "parse error: unallowed token at this point in JSON text\n"),
      ("[tru]", "lexical error: invalid string in json text.\n"),
      ("[-]", "lexical error: malformed number, a digit is required after the minus sign.\n"),
      ("[1.]", "lexical error: malformed number, a digit is required after the decimal point.\n"),
      ("[1e]", "lexical error: malformed number, a digit is required after the exponent.\n"),
      ("[#]", "lexical error: invalid char in json text.\n"),
      ("[/*c*/1]", "lexical error: probable comment found in input text, comments are not enabled.\n"),
      ("[\"a\u{01}\"]", "lexical error: invalid character inside string.\n"),
      (#"["\u12x4"]"#, "lexical error: invalid (non-hex) character occurs after '\\u' inside string.\n"),
      ("[01]", "parse error: after array element, I expect ',' or ']'\n"),
      (#"["\x"]"#, "lexical error: inside a string, '\\' occurs before a character which it may not.\n"),
    ]
    for (body, message) in cases {
      #expect(JSONBodyProcessor().parse(bytes(body)).error == "JSON parsing error: " + message, "\(body)")
    }
    #expect(JSONBodyProcessor().parse([]).error == nil)
    // Numbers at the very end are complete (yajl's finish feeds a space).
    #expect(JSONBodyProcessor().parse(bytes("12")).error == nil)
  }

  @Test func invalidUTF8() {
    let body = bytes("{\"a\":\"") + [0xC3, 0x28] + bytes("\"}")
    #expect(JSONBodyProcessor().parse(body).error == "JSON parsing error: lexical error: invalid bytes in UTF8 string.\n")
    let lead = bytes("[\"") + [0xFF] + bytes("\"]")
    #expect(JSONBodyProcessor().parse(lead).error == "JSON parsing error: lexical error: invalid bytes in UTF8 string.\n")
    // yajl does not reject overlong forms or encoded surrogates.
    #expect(JSONBodyProcessor().parse(bytes("[\"") + [0xC0, 0x80, 0xED, 0xA0, 0x80] + bytes("\"]")).error == nil)
  }

  @Test func argumentsBeforeAnErrorStay() {
    let result = JSONBodyProcessor().parse(bytes(#"{"a":1,"b":[2,"#))
    #expect(pairs(result) == ["json.a=1", "json.b.array_0=2"])
    #expect(result.error == "JSON parsing error: parse error: premature EOF\n")
  }

  let depthMessage = "parse error: client cancelled parse via callback return value\n. Parsing depth limit exceeded"

  @Test func depthLimit() {
    let ok = JSONBodyProcessor(depthLimit: 3).parse(bytes("[[[1]]]"))
    #expect(ok.error == nil)
    #expect(pairs(ok) == ["json.array_0.array_0.array_0=1"])
    let deep = JSONBodyProcessor(depthLimit: 3).parse(bytes(#"{"a":{"b":{"c":{"d":1}}}}"#))
    #expect(deep.error == "JSON parsing error: " + depthMessage)
    #expect(deep.arguments.isEmpty)

    let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
    #expect(JSONBodyProcessor(depthLimit: 512).parse(hostile).error == "JSON parsing error: " + depthMessage)
    // Without a depth limit a deep body still ends (no recursion): premature EOF.
    #expect(JSONBodyProcessor(depthLimit: .max).parse(hostile).error == "JSON parsing error: parse error: premature EOF\n")
  }

  @Test func argumentsAndOutputLimits() {
    var body = bytes("[")
    for i in 0..<10_000 { body += bytes(i == 0 ? "1" : ",1") }
    body += bytes("]")
    let limited = JSONBodyProcessor(argumentsLimit: 1000).parse(body)
    #expect(limited.arguments.count == 1000)
    #expect(limited.arguments.last.map { text($0.name) } == "json.array_999")
    #expect(limited.error == "JSON parsing error: parse error: client cancelled parse via callback return value\n")
    // Exactly at the limit is fine; the query string's arguments count too.
    #expect(JSONBodyProcessor(argumentsLimit: 3).parse(bytes("[1,2,3]")).error == nil)
    #expect(JSONBodyProcessor(argumentsLimit: 3).parse(bytes("[1,2,3]"), existingArguments: 1).arguments.count == 2)

    // A long key repeated in every name: the output bound stops it.
    let key = String(repeating: "k", count: 100_000)
    var wide = bytes("{\"" + key + "\":[")
    for i in 0..<2_000 { wide += bytes(i == 0 ? "1" : ",1") }
    wide += bytes("]}")
    let bounded = JSONBodyProcessor(outputLimit: 1 << 20).parse(wide)
    #expect(bounded.error == "JSON parsing error: JSON: arguments over 1048576 bytes")
  }
}

// MARK: - XML

@Suite struct XMLBodyProcessorTests {
  @Test func xpathValues() {
    let body = bytes(#"<?xml version="1.0"?><root a="1"><x b="2">hello</x><y>world</y></root>"#)
    let result = XMLBodyProcessor().parse(body)
    #expect(result.error == nil)
    #expect(result.arguments.isEmpty)  // 3.0.9 adds no ARGS from XML
    let document = result.xml
    #expect(document?.values(xpath: "/*").map(text) == ["helloworld"])
    #expect(document?.values(xpath: "//@*").map(text) == ["1", "2"])
    #expect(document?.values(xpath: "//y/text()").map(text) == ["world"])
    #expect(document?.values(xpath: "count(//x)") == [])
    #expect(document?.values(xpath: "((") == [])
  }

  @Test func namespaces() {
    let body = bytes(
      #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>payload</s:Body></s:Envelope>"#)
    let document = XMLBodyProcessor().parse(body).xml
    #expect(
      document?.values(xpath: "/soap:Envelope/soap:Body", namespaces: [("soap", "http://schemas.xmlsoap.org/soap/envelope/")])
        .map(text) == ["payload"])
    #expect(document?.values(xpath: "/soap:Envelope") == [])  // unknown prefix: nothing
  }

  @Test func malformedBodiesKeepAPartialTree() {
    let result = XMLBodyProcessor().parse(bytes("<a><b>text</b>"))
    #expect(result.error == "XML parsing error: XML: Failed parsing document.")
    #expect(result.xml?.values(xpath: "/*").map(text) == ["text"])
    #expect(XMLBodyProcessor().parse([]).error == "XML parsing error: XML: Failed parsing document.")
    #expect(XMLBodyProcessor().parse(bytes("not xml")).error != nil)
    #expect(XMLBodyProcessor().parse(bytes("<a>") + [0xFF, 0xFE] + bytes("</a>")).error != nil)
  }

  @Test func noExternalEntities() {
    let body = bytes(
      """
      <?xml version="1.0"?>
      <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY i "inner">]>
      <r>&x;|&i;</r>
      """)
    let result = XMLBodyProcessor().parse(body)
    let values = result.xml?.values(xpath: "/*").map(text) ?? []
    #expect(values.count == 1)
    #expect(!(values.first ?? "").contains("root:"))
    #expect((values.first ?? "").contains("inner"))
  }

  @Test func entityExpansionIsBounded() {
    var dtd = "<!DOCTYPE r [<!ENTITY e0 \"xxxxxxxxxx\">"
    for i in 1...12 { dtd += "<!ENTITY e\(i) \"" + String(repeating: "&e\(i - 1);", count: 10) + "\">" }
    dtd += "]>"
    let result = XMLBodyProcessor().parse(bytes(dtd + "<r>&e12;</r>"))
    #expect(result.error != nil)
  }

  @Test func deepNesting() {
    let body = bytes(String(repeating: "<a>", count: 100_000))
    #expect(XMLBodyProcessor().parse(body).error != nil)
  }
}

// MARK: - CRS regression corpus

/// Runs every body of the CRS regression corpus through its processor and checks the outcome
/// against what libmodsecurity 3.0.9 did (the `modsec_matched_ids` of the base config's rules:
/// 200002 = REQBODY_ERROR, 200003 = MULTIPART_STRICT_ERROR, 200004 = unmatched boundary).
@Suite struct BodyProcessorCorpusTests {
  static let corpusPath = "/work/shared/conformance/waf/crs-regression.jsonl"

  @Test func corpusBodiesMatchLibmodsecurity() throws {
    guard let data = readFile(Self.corpusPath) else {
      print("BodyProcessorCorpusTests: \(Self.corpusPath) not found, skipping")
      return
    }
    var checked = 0
    var mismatches: [String] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
      guard let record = CorpusRecord(line: Array(line)) else { continue }
      guard let body = record.body, !body.isEmpty else { continue }
      let contentType = record.contentType ?? ""
      let lower = String(decoding: contentType.utf8.map(asciiLower), as: UTF8.self)
      let ids = record.matchedIDs
      if ids.contains(200007) { continue }  // argument-count deny runs before 200002
      let result: BodyParseResult
      var strict: Int?
      var unmatched: Int?
      if lower.hasPrefix("application/json") || isPlusJSON(lower) {
        result = JSONBodyProcessor(depthLimit: 512, argumentsLimit: 1000).parse(body)
      } else if lower.hasPrefix("application/xml") || lower.hasPrefix("text/xml") || lower.hasPrefix("application/soap+xml") {
        result = XMLBodyProcessor().parse(body)
      } else if lower.hasPrefix("multipart/form-data") {
        result = MultipartParser().parse(contentType: contentType, body: body)
        strict = result.multipart?.strictError
        unmatched = result.multipart?.unmatchedBoundary
      } else {
        continue
      }
      checked += 1
      let expectError = ids.contains(200002)
      if (result.error != nil) != expectError {
        mismatches.append("\(record.id): error \(result.error ?? "nil"), libmodsecurity 200002=\(expectError)")
        continue
      }
      if expectError { continue }
      if let strict, (strict == 1) != ids.contains(200003) {
        mismatches.append("\(record.id): strict \(strict), libmodsecurity 200003=\(ids.contains(200003))")
        continue
      }
      if ids.contains(200003) { continue }
      if let unmatched, (unmatched == 1) != ids.contains(200004) {
        mismatches.append("\(record.id): unmatched \(unmatched), libmodsecurity 200004=\(ids.contains(200004))")
      }
    }
    print("BodyProcessorCorpusTests: checked \(checked) bodies, \(mismatches.count) mismatches")
    for mismatch in mismatches { print("  " + mismatch) }
    #expect(checked > 0)
    #expect(mismatches.isEmpty)
  }

  /// Truncated and byte-flipped corpus bodies: every processor must return (errors are fine).
  @Test func mutatedCorpusBodiesNeverCrash() {
    guard let data = readFile(Self.corpusPath) else {
      print("BodyProcessorCorpusTests: \(Self.corpusPath) not found, skipping")
      return
    }
    var seeds: [(String, [UInt8])] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
      guard let record = CorpusRecord(line: Array(line)), let body = record.body, !body.isEmpty,
        let contentType = record.contentType
      else { continue }
      let lower = contentType.lowercased()
      if lower.hasPrefix("multipart/") || lower.contains("json") || lower.contains("xml") {
        seeds.append((contentType, body))
      }
    }
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(truncatingIfNeeded: state >> 1)
    }
    for (contentType, body) in seeds.prefix(200) {
      for round in 0..<8 {
        var mutated = body
        if round % 2 == 0 {
          mutated = Array(mutated.prefix(next() % (mutated.count + 1)))
        }
        for _ in 0..<(1 + next() % 4) where !mutated.isEmpty {
          let interesting: [UInt8] = [0x00, 0x0A, 0x0D, 0x22, 0x2D, 0x5C, 0x7B, 0x5B, 0x3C, 0xFF]
          mutated[next() % mutated.count] = interesting[next() % interesting.count]
        }
        _ = MultipartParser().parse(contentType: contentType, body: mutated)
        _ = JSONBodyProcessor(depthLimit: 512).parse(mutated)
        let xml = XMLBodyProcessor().parse(mutated)
        _ = xml.xml?.values(xpath: "/*")
        _ = URLEncodedParser().parse(mutated)
      }
    }
    #expect(!seeds.isEmpty)
  }

  private func isPlusJSON(_ lower: String) -> Bool {
    guard lower.hasPrefix("application/"), let plus = lower.firstIndex(of: "+") else { return false }
    return lower[plus...].hasPrefix("+json")
  }
}

/// One line of crs-regression.jsonl, the fields these tests need.
private struct CorpusRecord {
  var id: String
  var contentType: String?
  var body: [UInt8]?
  var matchedIDs: Set<Int>

  init?(line: [UInt8]) {
    guard let value = try? JSON.parse(line) else { return nil }
    id = value["id"].stringValue ?? "?"
    contentType = nil
    for header in value["headers"].arrayValue ?? [] {
      guard let pair = header.arrayValue, pair.count == 2, let name = pair[0].stringValue else { continue }
      if name.lowercased() == "content-type" {
        contentType = pair[1].stringValue
        break
      }
    }
    if let text = value["body"].stringValue {
      body = value["body_encoding"].stringValue == "base64" ? base64Decode(text) : Array(text.utf8)
    }
    matchedIDs = Set((value["modsec_matched_ids"].arrayValue ?? []).compactMap { $0.numberValue?.intValue })
  }
}

private func readFile(_ path: String) -> [UInt8]? {
  guard let file = fopen(path, "rb") else { return nil }
  defer { fclose(file) }
  var data: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
    if n <= 0 { break }
    data += chunk[0..<n]
  }
  return data
}

private func base64Decode(_ text: String) -> [UInt8]? {
  var out: [UInt8] = []
  var buffer: UInt32 = 0
  var bits = 0
  for c in text.utf8 {
    let v: UInt32
    switch c {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a") + 26)
    case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0") + 52)
    case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
    case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
    case UInt8(ascii: "="), 0x0A, 0x0D: continue
    default: return nil
    }
    buffer = buffer << 6 | v
    bits += 6
    if bits >= 8 {
      bits -= 8
      out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
    }
  }
  return out
}

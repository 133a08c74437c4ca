#if canImport(Glibc)
  import Glibc
#endif
import PolicyCore
import WAFEngine

// The first input byte picks what runs (modulo 5); the rest is the body (or the whole request):
//   0  URLEncodedParser            (arguments limit 64)
//   1  MultipartParser             (boundary and Content-Type derived from the input)
//   2  JSONBodyProcessor           (depth limit 1...32 from the second byte, arguments limit 64)
//   3  XMLBodyProcessor            (and two XPath queries over the document it built)
//   4  a whole transaction         (request parsed from the input, fixed rule set below)

/// The rule set mode 4 runs: the body-processor and limit rules of ModSecurity's recommended
/// configuration (200000-200007 style) with small limits, plus a few rules per operator family
/// over the collections the body processors fill.
let transactionRules = """
  SecRuleEngine On
  SecRequestBodyAccess On
  SecRequestBodyLimit 8192
  SecRequestBodyJsonDepthLimit 16
  SecArgumentsLimit 50
  SecPcreMatchLimit 1000
  SecPcreMatchLimitRecursion 1000
  SecRule REQUEST_HEADERS:Content-Type "@rx (?i)^(?:application(?:/soap\\+|/)|text/)xml" \\
    "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
  SecRule REQUEST_HEADERS:Content-Type "@rx (?i)^application/json" \\
    "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
  SecRule REQBODY_ERROR "!@eq 0" \\
    "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}'"
  SecRule MULTIPART_STRICT_ERROR "!@eq 0" \\
    "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation'"
  SecRule &ARGS "@ge 50" "id:200007,phase:2,t:none,log,deny,status:400,msg:'Failed to fully parse request body due to large argument count'"
  SecRule ARGS|ARGS_NAMES|REQUEST_COOKIES|XML:/* "@rx (a+)+$" "id:1001,phase:2,t:none,t:urlDecodeUni,t:lowercase,pass,log,setvar:tx.score=+1"
  SecRule ARGS|REQUEST_HEADERS|XML:/* "@detectSQLi" "id:1002,phase:2,t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls,pass,log,capture,setvar:tx.score=+5"
  SecRule ARGS|REQUEST_FILENAME "@detectXSS" "id:1003,phase:2,t:none,t:htmlEntityDecode,t:jsDecode,t:cssDecode,pass,log,setvar:tx.score=+5"
  SecRule ARGS "@pm select union script alert" "id:1004,phase:2,t:none,t:lowercase,t:compressWhitespace,t:replaceComments,pass,log,setvar:tx.score=+2"
  SecRule REQUEST_BODY|ARGS "@validateUTF8Encoding" "id:1005,phase:2,t:none,pass,log"
  SecRule ARGS "@validateByteRange 9,10,13,32-126" "id:1006,phase:2,t:none,t:base64DecodeExt,t:hexDecode,pass,log"
  SecRule FILES_NAMES|MULTIPART_PART_HEADERS|FILES "@rx (?i)\\.php|content-type" "id:1007,phase:2,t:none,t:cmdLine,t:normalizePath,pass,log,chain"
    SecRule MATCHED_VAR "@contains php" "setvar:tx.score=+1"
  SecRule TX:/^MSC_/ "!@streq 0" "id:200005,phase:2,t:none,log,deny,status:500,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'"
  SecRule TX:score "@gt 20" "id:1100,phase:2,t:none,log,deny,status:403"
  """

/// Loaded once; a load failure is a bug in the engine (the text is fixed), so it stops the run.
let transactionRuleSet: WAFRuleSet = {
  do throws(WAFConfigError) {
    return try WAFRuleSet.load(text: transactionRules, name: "fuzz-waf-body.conf")
  } catch {
    fatalError("the fixed rule set does not load: \(error)")
  }
}()

func checkURLEncoded(_ body: ArraySlice<UInt8>) {
  let limit = 64
  let result = URLEncodedParser(argumentsLimit: limit).parse(body)
  // Pieces as std::getline splits them: one per separator, plus a last one unless the input
  // ends with the separator; nothing for empty input.
  let separators = body.reduce(0) { $1 == UInt8(ascii: "&") ? $0 + 1 : $0 }
  let pieces = body.isEmpty ? 0 : separators + (body.last == UInt8(ascii: "&") ? 0 : 1)
  precondition(result.arguments.count <= limit, "more arguments than the limit")
  precondition(result.arguments.count + result.droppedArguments == pieces, "pieces lost or invented")
  let decoded = result.arguments.reduce(0) { $0 + $1.name.count + $1.value.count }
  precondition(decoded <= body.count, "decoding grew the input")
  precondition(result.error == nil, "the URL-encoded parser reported an error")
}

func checkMultipart(_ input: ArraySlice<UInt8>) {
  let maxParts = 32
  let maxHeaderLines = 64
  var contentType: String
  var body = Array(input.dropFirst())
  let flags = input.first ?? 0
  if flags & 1 == 1, let newline = body.firstIndex(of: 0x0A) {
    // The first line is the Content-Type as sent: explores the header parser.
    contentType = String(decoding: body[..<newline], as: UTF8.self)
    body = Array(body[(newline + 1)...])
  } else {
    // The boundary is the body's first line after "--" (so most inputs are well formed up to
    // there); bits 1-2 vary how the Content-Type states it.
    var boundary: [UInt8] = Array("x".utf8)
    if body.starts(with: Array("--".utf8)) {
      let line = body.dropFirst(2).prefix { $0 != 0x0D && $0 != 0x0A }
      if !line.isEmpty { boundary = Array(line.prefix(100)) }
    }
    let text = String(decoding: boundary, as: UTF8.self)
    switch (flags >> 1) & 3 {
    case 0: contentType = "multipart/form-data; boundary=\(text)"
    case 1: contentType = "multipart/form-data; boundary=\"\(text)\""
    case 2: contentType = "multipart/form-data boundary=\(text)"
    default: contentType = "multipart/form-data; charset=utf-8; boundary = \(text)"
    }
  }
  let result = MultipartParser(fileLimit: 4, storesFiles: flags & 8 == 8, maxParts: maxParts, maxPartHeaderLines: maxHeaderLines)
    .parse(contentType: contentType, body: body)
  precondition(result.multipart != nil, "multipart flags not set")
  precondition(result.partHeaders.count <= maxHeaderLines, "more part header lines than the limit")
  precondition(result.arguments.count + result.files.count <= maxParts, "more parts than the limit")
  precondition(result.filesCombinedSize == result.files.reduce(0) { $0 + $1.size }, "FILES_COMBINED_SIZE is not the sum")
  precondition(result.files.allSatisfy { $0.size >= 0 && $0.size <= body.count }, "file size outside the body")
}

func checkJSON(_ input: ArraySlice<UInt8>) {
  let depth = Int(input.first ?? 0) % 32 + 1
  let limit = 64
  let body = Array(input.dropFirst())
  let result = JSONBodyProcessor(depthLimit: depth, argumentsLimit: limit, outputLimit: 1 << 20).parse(body)
  precondition(result.arguments.count <= limit, "more arguments than the limit")
  let prefix = Array("json".utf8)
  precondition(result.arguments.allSatisfy { $0.name.starts(with: prefix) }, "an argument name does not start with json")
  let output = result.arguments.reduce(0) { $0 + $1.name.count + $1.value.count }
  precondition(output <= (1 << 20) + 4 * body.count + 1024, "output limit not enforced")
  if let error = result.error {
    precondition(error.hasPrefix("JSON parsing error: "), "error without libmodsecurity's prefix")
  }
}

func checkXML(_ body: ArraySlice<UInt8>) {
  let result = XMLBodyProcessor().parse(Array(body))
  precondition(result.arguments.isEmpty, "XML added arguments")
  // No error means a document (an encoding error that left libxml2's wellFormed at 1 once
  // slipped through; HostileInputTests.xmlEncodingErrorIsABodyError keeps it fixed).
  precondition(result.error != nil || result.xml != nil, "XML body accepted without a document")
  if let document = result.xml {
    _ = document.values(xpath: "/*")
    _ = document.values(xpath: "//@*")
  }
}

/// Reads a request from the input: `METHOD URI` on the first line, `Name: value` headers up to an
/// empty line, then the body. Missing pieces get defaults so most inputs become a request.
func request(from input: ArraySlice<UInt8>) -> HTTPRequest {
  var lines: [ArraySlice<UInt8>] = []
  var index = input.startIndex
  var bodyStart = input.endIndex
  while index < input.endIndex {
    let end = input[index...].firstIndex(of: 0x0A) ?? input.endIndex
    var line = input[index..<end]
    if line.last == 0x0D { line = line.dropLast() }
    index = end < input.endIndex ? end + 1 : end
    if line.isEmpty && !lines.isEmpty {
      bodyStart = index
      break
    }
    lines.append(line)
  }
  let requestLine = lines.first.map { String(decoding: $0, as: UTF8.self) } ?? "GET /"
  let words = requestLine.split(separator: " ", maxSplits: 1)
  let method = words.first.map(String.init) ?? "GET"
  let uri = words.count > 1 ? String(words[1]) : "/"
  var headers: [HTTPHeader] = []
  for line in lines.dropFirst() {
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
    let name = String(decoding: line[..<colon], as: UTF8.self)
    let value = String(decoding: line[(colon + 1)...].drop { $0 == 0x20 }, as: UTF8.self)
    headers.append(HTTPHeader(name, value))
  }
  let body = bodyStart < input.endIndex ? Array(input[bodyStart...]) : []
  return HTTPRequest(method: method, uri: uri, headers: headers, body: body)
}

func checkTransaction(_ input: ArraySlice<UInt8>) {
  let result = transactionRuleSet.evaluate(request(from: input))
  if let intervention = result.intervention {
    precondition([400, 403, 413, 500].contains(intervention.status), "unexpected status \(intervention.status)")
  }
  // Rule 200005 denies on any TX:MSC_* flag; if it ran, the flag must be in the results.
  if result.intervention?.ruleID == 200005 {
    precondition(result.transactionVariables.keys.contains { $0.hasPrefix("msc_") }, "200005 fired without an MSC_ variable")
  }
}

func checkBodyProperties(_ bytes: [UInt8]) {
  guard let selector = bytes.first else { return }
  let rest = bytes.dropFirst()
  switch selector % 5 {
  case 0: checkURLEncoded(rest)
  case 1: checkMultipart(rest)
  case 2: checkJSON(rest)
  case 3: checkXML(rest)
  default: checkTransaction(rest)
  }
}

#if FUZZING
  /// libFuzzer's entry point.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzWAFBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkBodyProperties(bytes)
    return 0
  }
#else
  /// Without libFuzzer the target replays files (crash reproducers or a corpus).
  @main
  struct FuzzWAFBodyReplay {
    static func main() {
      let paths = Array(CommandLine.arguments.dropFirst())
      if paths.isEmpty {
        StandardStreams.writeError("usage: fuzz-waf-body FILE... (replays inputs; build with -DFUZZING for libFuzzer, see docs/fuzzing.md)")
        exit(2)
      }
      for path in paths {
        do throws(Diagnostic) {
          checkBodyProperties(try SourceFile.read(path: path).bytes)
        } catch {
          StandardStreams.writeError(error.rendered())
          exit(1)
        }
      }
      StandardStreams.writeError("replayed \(paths.count) input(s): properties hold")
    }
  }
#endif

/// The part of a request a match statement inspects (AWS WAF's `FieldToMatch`).
///
/// Values are raw bytes as received: no URL decoding unless a transformation asks for it. A part
/// that is absent (no such header, argument or cookie) gives no value, and a statement over it
/// does not match.
enum ACLRequestPart: Sendable, Hashable, CustomStringConvertible {
  /// The path before `?`.
  case uriPath
  /// The whole request target (path and query).
  case uri
  /// The query string after `?`, without it.
  case queryString
  /// The method as sent.
  case method
  /// The body (all of it; the engine's input limits bound it).
  case body
  /// Every header with this name (case-insensitive).
  case header(String)
  /// Every value of this query argument (name compared case-insensitively).
  case queryArgument(String)
  /// Every value of this cookie (name compared exactly).
  case cookie(String)

  /// The values of this part in a request.
  func values(of request: HTTPRequest) -> [[UInt8]] {
    switch self {
    case .uriPath: return [Array(request.path.utf8)]
    case .uri: return [Array(request.uri.utf8)]
    case .queryString: return [Array(request.queryString.utf8)]
    case .method: return [Array(request.method.utf8)]
    case .body: return [request.body]
    case .header(let name):
      return request.headers.filter { asciiCaseInsensitiveEquals($0.name, name) }.map { Array($0.value.utf8) }
    case .queryArgument(let name):
      return ACLRequestPart.queryArguments(request.queryString).filter { asciiCaseInsensitiveEquals(String($0.name), name) }
        .map { Array($0.value.utf8) }
    case .cookie(let name):
      return ACLRequestPart.cookies(request).filter { $0.name == name }.map { Array($0.value.utf8) }
    }
  }

  /// `name=value` pairs of a query string split on `&` (a name without `=` has an empty value).
  static func queryArguments(_ query: Substring) -> [(name: Substring, value: Substring)] {
    query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
      if let equals = pair.firstIndex(of: "=") {
        return (pair[..<equals], pair[pair.index(after: equals)...])
      }
      return (pair, "")
    }
  }

  /// Cookies of every `Cookie` header, split on `;` and trimmed.
  static func cookies(_ request: HTTPRequest) -> [(name: Substring, value: Substring)] {
    var result: [(name: Substring, value: Substring)] = []
    for header in request.headers where asciiCaseInsensitiveEquals(header.name, "cookie") {
      for item in header.value.split(separator: ";") {
        let pair = item.drop { $0 == " " }
        if let equals = pair.firstIndex(of: "=") {
          result.append((pair[..<equals], pair[pair.index(after: equals)...]))
        } else if !pair.isEmpty {
          result.append((pair, ""))
        }
      }
    }
    return result
  }

  var description: String {
    switch self {
    case .uriPath: return "uri_path"
    case .uri: return "uri"
    case .queryString: return "query_string"
    case .method: return "method"
    case .body: return "body"
    case .header(let name): return "header:\(asciiLowercased(name))"
    case .queryArgument(let name): return "query_argument:\(name)"
    case .cookie(let name): return "cookie:\(name)"
    }
  }
}

/// Where the client address comes from when a proxy or CDN sits in front (AWS WAF's
/// `ForwardedIPConfig`): a header such as `X-Forwarded-For`, which entry of its comma-separated
/// list, and what to do when the header is missing or holds no valid address.
struct ForwardedIPConfig: Sendable, Hashable {
  enum Position: String, Sendable, Hashable {
    /// The first address (the original client, as the first proxy wrote it).
    case first
    /// The last address (the one the nearest proxy saw).
    case last
    /// Any address in the list (IP set statements only).
    case any
  }

  enum Fallback: String, Sendable, Hashable {
    /// Treat the request as matching the statement.
    case match
    /// Treat the request as not matching.
    case noMatch = "no_match"
  }

  var header: String
  var position: Position
  var fallback: Fallback

  /// The addresses to test: one for `first`/`last`, every valid one for `any`; nil when the
  /// header is absent or the chosen entry is not an address (the fallback decides).
  func addresses(in request: HTTPRequest) -> [IPAddress]? {
    guard let value = request.header(header) else { return nil }
    let items = value.split(separator: ",").map { item in
      item.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
    }.map { String($0) }
    switch position {
    case .first: return items.first.flatMap { IPAddress($0) }.map { [$0] }
    case .last: return items.last.flatMap { IPAddress($0) }.map { [$0] }
    case .any:
      let valid = items.compactMap { IPAddress($0) }
      return valid.isEmpty ? nil : valid
    }
  }
}

/// A text transformation as AWS WAF or SecLang names it, applied before matching.
enum ACLTransformations {
  /// AWS WAF's `TextTransformation` types that have a SecLang equivalent.
  static let awsNames: [String: Transformation] = [
    "BASE64_DECODE": .base64Decode, "BASE64_DECODE_EXT": .base64DecodeExt, "CMD_LINE": .cmdLine,
    "COMPRESS_WHITE_SPACE": .compressWhitespace, "CSS_DECODE": .cssDecode, "ESCAPE_SEQ_DECODE": .escapeSeqDecode,
    "HEX_DECODE": .hexDecode, "HTML_ENTITY_DECODE": .htmlEntityDecode, "JS_DECODE": .jsDecode,
    "LOWERCASE": .lowercase, "MD5": .md5, "NONE": .none, "NORMALIZE_PATH": .normalizePath,
    "NORMALIZE_PATH_WIN": .normalizePathWin, "REMOVE_NULLS": .removeNulls, "REPLACE_COMMENTS": .replaceComments,
    "REPLACE_NULLS": .replaceNulls, "SQL_HEX_DECODE": .sqlHexDecode, "URL_DECODE": .urlDecode,
    "URL_DECODE_UNI": .urlDecodeUni, "UTF8_TO_UNICODE": .utf8toUnicode, "TRIM": .trim, "UPPERCASE": .uppercase,
  ]

  /// Looks a name up: AWS spelling (`URL_DECODE`, any case) or SecLang spelling (`urlDecode`).
  static func named(_ name: String) -> Transformation? {
    Transformation(name: name) ?? awsNames[name.uppercased()]
  }

  static func apply(_ transformations: [Transformation], to value: [UInt8]) -> [UInt8] {
    guard !transformations.isEmpty else { return value }
    let context = TransformationContext()
    var current = value
    for transformation in transformations { current = transformation.apply(current, context: context) }
    return current
  }
}

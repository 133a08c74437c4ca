/// One HTTP header as it arrived: the name keeps its case (SecLang matches names case-insensitively,
/// but logs and `REQUEST_HEADERS_NAMES` show them as sent).
public struct HTTPHeader: Sendable, Hashable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// A request as the WAF sees it: connection, request line, headers and body. The same value feeds
/// the SecLang transaction and the web ACL's statements (IP sets, rate keys, byte matches).
public struct HTTPRequest: Sendable, Hashable {
  /// Client address as text (`172.18.0.1`, `2001:db8::1`), the TCP peer, before any forwarded header.
  public var clientAddress: String
  public var clientPort: Int
  public var serverAddress: String
  public var serverPort: Int
  /// `GET`, `POST`, ... as sent (not normalised).
  public var method: String
  /// The request target exactly as sent: path, optional `?query`, no decoding.
  public var uri: String
  /// `HTTP/1.1`, `HTTP/1.0`, `HTTP/2.0`.
  public var httpVersion: String
  public var headers: [HTTPHeader]
  public var body: [UInt8]
  /// Seconds since the Unix epoch when the request arrived; replay uses the recorded time so
  /// rate limits play out over it. `nil` means "now" to whoever evaluates the request.
  public var timestamp: Double?

  public init(
    clientAddress: String = "127.0.0.1", clientPort: Int = 40000,
    serverAddress: String = "127.0.0.1", serverPort: Int = 80,
    method: String = "GET", uri: String = "/", httpVersion: String = "HTTP/1.1",
    headers: [HTTPHeader] = [], body: [UInt8] = [], timestamp: Double? = nil
  ) {
    self.clientAddress = clientAddress
    self.clientPort = clientPort
    self.serverAddress = serverAddress
    self.serverPort = serverPort
    self.method = method
    self.uri = uri
    self.httpVersion = httpVersion
    self.headers = headers
    self.body = body
    self.timestamp = timestamp
  }

  /// The first header with this name, compared case-insensitively (ASCII).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.utf8.elementsEqual(name.utf8, by: { asciiLower($0) == asciiLower($1) }) }?.value
  }

  /// The path part of `uri` (before `?`), undecoded.
  public var path: Substring {
    if let q = uri.firstIndex(of: "?") { return uri[..<q] }
    return uri[...]
  }

  /// The query string after the first `?`, undecoded; empty when there is none.
  public var queryString: Substring {
    if let q = uri.firstIndex(of: "?") { return uri[uri.index(after: q)...] }
    return ""
  }
}

/// What the protected application answered, for phases 3 and 4.
public struct HTTPResponse: Sendable, Hashable {
  public var status: Int
  public var httpVersion: String
  public var headers: [HTTPHeader]
  public var body: [UInt8]

  public init(status: Int = 200, httpVersion: String = "HTTP/1.1", headers: [HTTPHeader] = [], body: [UInt8] = []) {
    self.status = status
    self.httpVersion = httpVersion
    self.headers = headers
    self.body = body
  }
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
  (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

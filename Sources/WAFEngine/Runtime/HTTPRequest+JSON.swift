public import PolicyCore

// The JSON form of a request that `policy waf check` and `replay` read, and the corpora in
// ../shared use: `method`, `uri`, `version`, `headers` (an array of [name, value] pairs, or an
// object), `body` with `body_encoding` (`utf-8`, the default, or `base64`), optional `client_ip`,
// `client_port`, `timestamp` (seconds since the epoch) and `response` (`status`, `headers`, `body`).

extension HTTPRequest {
  /// Reads a request from its JSON form.
  /// - Throws: `invalid_argument` naming the field that has the wrong type.
  public init(json value: Value, defaultClientAddress: String = "127.0.0.1") throws(Diagnostic) {
    guard case .object = value else { throw Diagnostic(.invalidArgument, "a request must be a JSON object") }
    self.init(
      clientAddress: try Self.string(value, "client_ip") ?? defaultClientAddress,
      clientPort: try Self.int(value, "client_port") ?? 40000,
      serverAddress: try Self.string(value, "server_ip") ?? "127.0.0.1",
      serverPort: try Self.int(value, "server_port") ?? 80,
      method: try Self.string(value, "method") ?? "GET",
      uri: try Self.string(value, "uri") ?? "/",
      httpVersion: try Self.string(value, "version") ?? "HTTP/1.1",
      headers: try Self.headers(value["headers"]),
      body: try Self.body(value["body"], encoding: value["body_encoding"]),
      timestamp: try Self.double(value, "timestamp"))
  }

  static func string(_ object: Value, _ key: String) throws(Diagnostic) -> String? {
    switch object[key] {
    case .undefined, .null: return nil
    case .string(let s): return s
    default: throw Diagnostic(.invalidArgument, "request field \(key) must be a string")
    }
  }

  static func int(_ object: Value, _ key: String) throws(Diagnostic) -> Int? {
    switch object[key] {
    case .undefined, .null: return nil
    case .number(let n):
      guard let i = n.intValue else { throw Diagnostic(.invalidArgument, "request field \(key) must be an integer") }
      return i
    default: throw Diagnostic(.invalidArgument, "request field \(key) must be a number")
    }
  }

  static func double(_ object: Value, _ key: String) throws(Diagnostic) -> Double? {
    switch object[key] {
    case .undefined, .null: return nil
    case .number(let n): return n.doubleValue
    default: throw Diagnostic(.invalidArgument, "request field \(key) must be a number")
    }
  }

  static func headers(_ value: Value) throws(Diagnostic) -> [HTTPHeader] {
    switch value {
    case .undefined, .null: return []
    case .array(let items):
      var out: [HTTPHeader] = []
      for item in items {
        guard case .array(let pair) = item, pair.count == 2, let name = pair[0].stringValue, let v = pair[1].stringValue else {
          throw Diagnostic(.invalidArgument, "headers must be [name, value] pairs of strings")
        }
        out.append(HTTPHeader(name, v))
      }
      return out
    case .object(let object):
      var out: [HTTPHeader] = []
      for entry in object {
        guard let name = entry.key.stringValue, let text = entry.value.stringValue else {
          throw Diagnostic(.invalidArgument, "header values must be strings")
        }
        out.append(HTTPHeader(name, text))
      }
      return out
    default:
      throw Diagnostic(.invalidArgument, "headers must be an array of pairs or an object")
    }
  }

  static func body(_ value: Value, encoding: Value) throws(Diagnostic) -> [UInt8] {
    switch value {
    case .undefined, .null: return []
    case .string(let text):
      switch encoding.stringValue?.lowercased() ?? "utf-8" {
      case "utf-8", "utf8", "text": return Array(text.utf8)
      case "base64": return Transformation.base64Decode.apply(Array(text.utf8), context: TransformationContext())
      default: throw Diagnostic(.invalidArgument, "body_encoding must be utf-8 or base64")
      }
    default:
      throw Diagnostic(.invalidArgument, "body must be a string")
    }
  }
}

extension HTTPResponse {
  /// Reads a response (`status`, `headers`, `body`, `body_encoding`) from its JSON form.
  public init(json value: Value) throws(Diagnostic) {
    guard case .object = value else { throw Diagnostic(.invalidArgument, "a response must be a JSON object") }
    self.init(
      status: try HTTPRequest.int(value, "status") ?? 200,
      httpVersion: try HTTPRequest.string(value, "version") ?? "HTTP/1.1",
      headers: try HTTPRequest.headers(value["headers"]),
      body: try HTTPRequest.body(value["body"], encoding: value["body_encoding"]))
  }
}

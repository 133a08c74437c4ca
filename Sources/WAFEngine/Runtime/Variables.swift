// The SecLang variables (ModSecurity's "collections" and single values) the engine can supply.
// Names are the SecLang names; lookup is case-insensitive as in ModSecurity.

/// A variable a rule can target.
enum VariableName: String, Sendable, CaseIterable {
  // Request arguments and their names.
  case args = "ARGS", argsGet = "ARGS_GET", argsPost = "ARGS_POST"
  case argsNames = "ARGS_NAMES", argsGetNames = "ARGS_GET_NAMES", argsPostNames = "ARGS_POST_NAMES"
  case argsCombinedSize = "ARGS_COMBINED_SIZE"
  // Request line and headers.
  case requestHeaders = "REQUEST_HEADERS", requestHeadersNames = "REQUEST_HEADERS_NAMES"
  case requestCookies = "REQUEST_COOKIES", requestCookiesNames = "REQUEST_COOKIES_NAMES"
  case requestMethod = "REQUEST_METHOD", requestProtocol = "REQUEST_PROTOCOL", requestLine = "REQUEST_LINE"
  case requestURI = "REQUEST_URI", requestURIRaw = "REQUEST_URI_RAW"
  case requestFilename = "REQUEST_FILENAME", requestBasename = "REQUEST_BASENAME"
  case queryString = "QUERY_STRING", pathInfo = "PATH_INFO"
  case requestBody = "REQUEST_BODY", requestBodyLength = "REQUEST_BODY_LENGTH"
  case fullRequest = "FULL_REQUEST", fullRequestLength = "FULL_REQUEST_LENGTH"
  // Body processing outcome.
  case reqbodyError = "REQBODY_ERROR", reqbodyErrorMsg = "REQBODY_ERROR_MSG"
  case reqbodyProcessor = "REQBODY_PROCESSOR", reqbodyProcessorError = "REQBODY_PROCESSOR_ERROR"
  case reqbodyProcessorErrorMsg = "REQBODY_PROCESSOR_ERROR_MSG"
  case inboundDataError = "INBOUND_DATA_ERROR", outboundDataError = "OUTBOUND_DATA_ERROR"
  case urlencodedError = "URLENCODED_ERROR"
  // Files and multipart.
  case files = "FILES", filesNames = "FILES_NAMES", filesSizes = "FILES_SIZES"
  case filesCombinedSize = "FILES_COMBINED_SIZE", filesTmpNames = "FILES_TMPNAMES"
  case multipartPartHeaders = "MULTIPART_PART_HEADERS"
  case multipartFilename = "MULTIPART_FILENAME", multipartName = "MULTIPART_NAME"
  case multipartStrictError = "MULTIPART_STRICT_ERROR", multipartUnmatchedBoundary = "MULTIPART_UNMATCHED_BOUNDARY"
  case multipartBoundaryQuoted = "MULTIPART_BOUNDARY_QUOTED", multipartBoundaryWhitespace = "MULTIPART_BOUNDARY_WHITESPACE"
  case multipartDataBefore = "MULTIPART_DATA_BEFORE", multipartDataAfter = "MULTIPART_DATA_AFTER"
  case multipartHeaderFolding = "MULTIPART_HEADER_FOLDING", multipartLFLine = "MULTIPART_LF_LINE"
  case multipartMissingSemicolon = "MULTIPART_MISSING_SEMICOLON", multipartInvalidQuoting = "MULTIPART_INVALID_QUOTING"
  case multipartInvalidPart = "MULTIPART_INVALID_PART", multipartInvalidHeaderFolding = "MULTIPART_INVALID_HEADER_FOLDING"
  case multipartFileLimitExceeded = "MULTIPART_FILE_LIMIT_EXCEEDED", multipartCRLFLFLines = "MULTIPART_CRLF_LF_LINES"
  case xml = "XML"
  // Response.
  case responseHeaders = "RESPONSE_HEADERS", responseHeadersNames = "RESPONSE_HEADERS_NAMES"
  case responseBody = "RESPONSE_BODY", responseStatus = "RESPONSE_STATUS", responseProtocol = "RESPONSE_PROTOCOL"
  case responseContentType = "RESPONSE_CONTENT_TYPE", responseContentLength = "RESPONSE_CONTENT_LENGTH"
  case statusLine = "STATUS_LINE"
  // Connection and server.
  case remoteAddr = "REMOTE_ADDR", remotePort = "REMOTE_PORT", remoteHost = "REMOTE_HOST", remoteUser = "REMOTE_USER"
  case serverAddr = "SERVER_ADDR", serverPort = "SERVER_PORT", serverName = "SERVER_NAME"
  case uniqueID = "UNIQUE_ID", authType = "AUTH_TYPE"
  // Time.
  case time = "TIME", timeDay = "TIME_DAY", timeEpoch = "TIME_EPOCH", timeHour = "TIME_HOUR", timeMin = "TIME_MIN"
  case timeMon = "TIME_MON", timeSec = "TIME_SEC", timeWday = "TIME_WDAY", timeYear = "TIME_YEAR", duration = "DURATION"
  // Engine state.
  case matchedVar = "MATCHED_VAR", matchedVarName = "MATCHED_VAR_NAME"
  case matchedVars = "MATCHED_VARS", matchedVarsNames = "MATCHED_VARS_NAMES"
  case highestSeverity = "HIGHEST_SEVERITY", rule = "RULE", env = "ENV"
  case tx = "TX", ip = "IP", global = "GLOBAL", session = "SESSION", user = "USER", resource = "RESOURCE"
  case webserverErrorLog = "WEBSERVER_ERROR_LOG"
  /// Filled by `@geoLookup` from a GeoIP database; always empty here (no database support).
  case geo = "GEO"

  private static let byLowercasedName: [String: VariableName] = {
    var table: [String: VariableName] = [:]
    for v in allCases { table[asciiLowercased(v.rawValue)] = v }
    return table
  }()

  init?(name: String) {
    guard let v = Self.byLowercasedName[asciiLowercased(name)] else { return nil }
    self = v
  }

  /// Collections hold keyed values; the others hold one value.
  var isCollection: Bool {
    switch self {
    case .args, .argsGet, .argsPost, .argsNames, .argsGetNames, .argsPostNames,
      .requestHeaders, .requestHeadersNames, .requestCookies, .requestCookiesNames,
      .responseHeaders, .responseHeadersNames, .files, .filesNames, .filesSizes, .filesTmpNames,
      .multipartPartHeaders, .multipartFilename, .multipartName, .matchedVars, .matchedVarsNames,
      .tx, .ip, .global, .session, .user, .resource, .env, .rule, .xml, .geo:
      return true
    default:
      return false
    }
  }

  /// Slot of a writable collection in a transaction's storage.
  var writableIndex: Int {
    switch self {
    case .tx: return 0
    case .ip: return 1
    case .global: return 2
    case .session: return 3
    case .user: return 4
    case .resource: return 5
    default: return 0
    }
  }

  static let writableCount = 6

  /// Persistent-style collections (`TX`, `IP`, ...) that `setvar` writes.
  var isWritable: Bool {
    switch self {
    case .tx, .ip, .global, .session, .user, .resource: return true
    default: return false
    }
  }
}

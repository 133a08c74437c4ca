// What a request body processor (or the query-string parser) hands to the transaction. Every field
// names the SecLang variable it feeds, so the transaction is a plain copy from here into its
// collections. Names and values are bytes: ModSecurity works on `std::string`, which carries any
// byte including NUL, and rules match on those bytes.

/// One name/value pair, for `ARGS`-like collections and `MULTIPART_PART_HEADERS`.
public struct BodyArgument: Sendable, Hashable {
  /// The collection key (argument name, part name), decoded.
  public var name: [UInt8]
  /// The value, decoded.
  public var value: [UInt8]

  /// A pair from raw bytes.
  public init(name: [UInt8], value: [UInt8]) {
    self.name = name
    self.value = value
  }

  /// Convenience for tests and callers that start from text.
  public init(_ name: String, _ value: String) {
    self.name = Array(name.utf8)
    self.value = Array(value.utf8)
  }
}

/// One file part of a multipart body (a part whose `Content-Disposition` has a non-empty `filename`).
public struct MultipartFile: Sendable, Hashable {
  /// The part's field name: the key of `FILES_NAMES` and `FILES_SIZES`.
  public var fieldName: [UInt8]
  /// The client-supplied file name: the value of `FILES` (libmodsecurity keys `FILES` by the field
  /// name in current releases, by the file name in older ones).
  public var fileName: [UInt8]
  /// Bytes of content, without the line ending that precedes the next boundary: `FILES_SIZES`.
  public var size: Int

  /// A file part as the multipart parser reports it.
  public init(fieldName: [UInt8], fileName: [UInt8], size: Int) {
    self.fieldName = fieldName
    self.fileName = fileName
    self.size = size
  }
}

/// The `MULTIPART_*` flags libmodsecurity 3.0.9 sets at the end of multipart processing (its
/// `multipart_complete`), each `0` or `1` except `unmatchedBoundary`.
public struct MultipartFlags: Sendable, Hashable {
  /// `MULTIPART_BOUNDARY_QUOTED`: the boundary parameter was in double quotes.
  public var boundaryQuoted = 0
  /// `MULTIPART_BOUNDARY_WHITESPACE`: whitespace around `=` in the boundary parameter.
  public var boundaryWhitespace = 0
  /// `MULTIPART_DATA_BEFORE`: bytes before the first boundary.
  public var dataBefore = 0
  /// `MULTIPART_DATA_AFTER`: bytes after the final boundary.
  public var dataAfter = 0
  /// `MULTIPART_HEADER_FOLDING`: a part header was continued on the next line.
  public var headerFolding = 0
  /// `MULTIPART_LF_LINE`: some line ended in a bare LF.
  public var lfLine = 0
  /// Some line ended in CRLF (no variable of its own; feeds `MULTIPART_CRLF_LF_LINES`).
  public var crlfLine = 0
  /// `MULTIPART_MISSING_SEMICOLON`: no `;` between the MIME type and `boundary` in Content-Type.
  public var missingSemicolon = 0
  /// `MULTIPART_INVALID_QUOTING`: single quotes in `Content-Disposition` parameters.
  public var invalidQuoting = 0
  /// `MULTIPART_INVALID_PART`: a part without a `name` was skipped.
  public var invalidPart = 0
  /// `MULTIPART_INVALID_HEADER_FOLDING`: folding with something other than SP or HTAB.
  public var invalidHeaderFolding = 0
  /// `MULTIPART_FILE_LIMIT_EXCEEDED`: more file parts than `SecUploadFileLimit` (only counted when
  /// files are stored, as in libmodsecurity).
  public var fileLimitExceeded = 0
  /// `MULTIPART_UNMATCHED_BOUNDARY`: `1` when something looked like a boundary but was not ours,
  /// `2` when a real boundary followed an earlier one (libmodsecurity overwrites 1 with 2).
  public var unmatchedBoundary = 0
  /// The parser's own error flag (Content-Type or boundary errors); part of `MULTIPART_STRICT_ERROR`.
  public var parserError = 0

  /// All flags `0`, as before parsing.
  public init() {}

  /// `MULTIPART_CRLF_LF_LINES`: both CRLF and bare LF line endings were seen.
  public var crlfLFLines: Int { (crlfLine != 0 && lfLine != 0) ? 1 : 0 }

  /// `MULTIPART_STRICT_ERROR`: any of the strict flags, computed as libmodsecurity 3.0.9 does
  /// (`MULTIPART_UNMATCHED_BOUNDARY` and `MULTIPART_CRLF_LF_LINES` are not part of it).
  public var strictError: Int {
    let any =
      parserError != 0 || boundaryQuoted != 0 || boundaryWhitespace != 0 || dataBefore != 0
      || dataAfter != 0 || headerFolding != 0 || lfLine != 0 || missingSemicolon != 0
      || invalidQuoting != 0 || invalidPart != 0 || invalidHeaderFolding != 0 || fileLimitExceeded != 0
    return any ? 1 : 0
  }
}

/// Everything one body processor (or the query-string parser) produced.
///
/// `REQBODY_ERROR` is `error != nil`; `REQBODY_PROCESSOR_ERROR` is the same for these processors.
public struct BodyParseResult: Sendable {
  /// `ARGS` plus `ARGS_GET` (query string) or `ARGS_POST` (body), in document order.
  public var arguments: [BodyArgument] = []
  /// Arguments not added because `SecArgumentsLimit` was reached. The URL-encoded parser skips
  /// them silently (CRS's base config catches that with `&ARGS @ge <limit>`); the JSON processor
  /// stops at the first one with an error, as libmodsecurity does.
  public var droppedArguments = 0
  /// Invalid `%` escapes seen while decoding names and values; `URLENCODED_ERROR` is `1` when > 0.
  public var invalidEncodings = 0
  /// File parts: `FILES`, `FILES_NAMES`, `FILES_SIZES`.
  public var files: [MultipartFile] = []
  /// `FILES_COMBINED_SIZE`: the sum of `files[].size`.
  public var filesCombinedSize = 0
  /// `MULTIPART_PART_HEADERS`: each header line of each part without its line ending (a folded
  /// header as `Name: joined value`), keyed by the part's name (empty for a nameless part). Filed
  /// as each part ends, so they are present even when the body fails later.
  public var partHeaders: [BodyArgument] = []
  /// `MULTIPART_NAME`: every `name` parameter parsed from a `Content-Disposition` header.
  public var multipartNames: [[UInt8]] = []
  /// `MULTIPART_FILENAME`: every `filename` parameter parsed from a `Content-Disposition` header.
  public var multipartFileNames: [[UInt8]] = []
  /// The `MULTIPART_*` flags; `nil` unless the multipart processor ran.
  public var multipart: MultipartFlags?
  /// The parsed XML document for `XML:/xpath` targets; `nil` unless the XML processor ran and
  /// libxml2 built a tree (it may be partial when the body was not well formed, as in libmodsecurity).
  public var xml: XMLBodyDocument?
  /// `REQBODY_ERROR_MSG` / `REQBODY_PROCESSOR_ERROR_MSG`, with libmodsecurity's prefix
  /// (`"Multipart parsing error: "`, `"JSON parsing error: "`, `"XML parsing error: "`); `nil` when
  /// the body parsed (`REQBODY_ERROR` is `0`).
  public var error: String?

  /// An empty result: no arguments, no error.
  public init() {}

  /// `REQBODY_ERROR` as the rules see it.
  public var reqbodyError: Int { error == nil ? 0 : 1 }
  /// `URLENCODED_ERROR` as the rules see it.
  public var urlencodedError: Int { invalidEncodings > 0 ? 1 : 0 }
}

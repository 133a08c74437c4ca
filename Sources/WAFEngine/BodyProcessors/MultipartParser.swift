/// The `multipart/form-data` request body processor.
///
/// A byte-for-byte model of libmodsecurity 3.0.9's `RequestBodyProcessor::Multipart` (`init`,
/// `process`, `multipart_complete`), including the parts that look like bugs, because CRS verdicts
/// depend on them:
/// - the body is read in lines of at most 4096 bytes (`MULTIPART_BUF_SIZE`); longer lines are
///   cut into chunks, and only a chunk that starts a line can be a boundary;
/// - part header errors (missing `Content-Disposition`, missing colon, ...) set the error message
///   but do not stop parsing: 3.0.9 returns `false` (0) where its caller tests `< 0`;
/// - part header names compare case-insensitively, and a repeated header is ignored silently;
/// - the line ending between two lines of a form field's value is dropped (the reserved CRLF is
///   overwritten), so `a\r\nb` arrives as `ab`; file sizes do count those line endings;
/// - a missing final boundary (or no boundary at all) is an error, and then no part becomes an
///   argument or a file; multipart fields are added to `ARGS` without `SecArgumentsLimit`.
///
/// `error` carries libmodsecurity's message with its `"Multipart parsing error: "` prefix.
///
///     let parser = MultipartParser()
///     let result = parser.parse(contentType: "multipart/form-data; boundary=xyz", body: body)
public struct MultipartParser: Sendable {
  /// `MULTIPART_BUF_SIZE`: the longest line libmodsecurity handles in one piece.
  static let lineBufferSize = 4096

  /// `SecUploadFileLimit`: file parts counted before `MULTIPART_FILE_LIMIT_EXCEEDED` (0 = none).
  public var fileLimit: Int
  /// Whether uploaded files would be written out (`SecUploadKeepFiles On` or
  /// `SecTmpSaveUploadedFiles On`); libmodsecurity only counts files against `fileLimit` then.
  public var storesFiles: Bool
  /// Rampart's bound on parts (libmodsecurity has none besides the body size). Past it, parsing
  /// stops with `"Multipart: Too many parts (limit N)."`.
  public var maxParts: Int
  /// Rampart's bound on `MULTIPART_PART_HEADERS` entries for the whole body; lines past it are
  /// parsed but not recorded.
  public var maxPartHeaderLines: Int

  /// Defaults are libmodsecurity's (`SecUploadFileLimit 100`, files not stored) plus Rampart's bounds.
  public init(fileLimit: Int = 100, storesFiles: Bool = false, maxParts: Int = 10_000, maxPartHeaderLines: Int = 10_000) {
    self.fileLimit = fileLimit
    self.storesFiles = storesFiles
    self.maxParts = maxParts
    self.maxPartHeaderLines = maxPartHeaderLines
  }

  /// Parses one multipart body.
  ///
  /// - Parameters:
  ///   - contentType: the request's `Content-Type` value, from which the boundary comes.
  ///   - body: the whole request body (the caller enforces `SecRequestBodyLimit`).
  /// - Returns: fields as `arguments`, file parts, part headers, the `MULTIPART_*` flags (always
  ///   set, as libmodsecurity sets them even when the Content-Type is rejected) and the error.
  public func parse(contentType: some StringProtocol, body: [UInt8]) -> BodyParseResult {
    var state = MultipartState(config: self)
    if state.initialize(contentType: Array(contentType.utf8)) {
      state.process(body)
    }
    return state.complete()
  }
}

/// One part while it is being built (`MultipartPart`).
private struct MultipartPart {
  var isFile = false
  var name: [UInt8] = []
  var fileName: [UInt8] = []
  /// Header name (ASCII-lowercased: libmodsecurity's map compares names case-insensitively) → value.
  var headers: [[UInt8]: [UInt8]] = [:]
  var lastHeaderName: [UInt8] = []
  var headerLines: [[UInt8]] = []
  /// The header line being built (`Name: value`, or the raw line), filed into `headerLines` when
  /// the next header or the empty line starts.
  var lastHeaderLine: [UInt8] = []
  var value: [UInt8] = []
  var fileSize = 0
  var fileCounted = false
}

/// The parser's running state; the names follow libmodsecurity's members.
private struct MultipartState {
  let config: MultipartParser
  var boundary: [UInt8] = []
  /// `--boundary`, searched for inside lines that are not boundaries.
  var dashBoundary = SubstringSearch(Array("--".utf8))
  var flags = MultipartFlags()
  var error: String?

  var buf: [UInt8] = []
  var bufContainsLine = true
  var current: MultipartPart?
  var inHeaders = true  // m_mpp_state == 0
  var reserve: [UInt8] = []
  var parts: [MultipartPart] = []
  var partCount = 0
  var boundaryCount = 0
  var isComplete = false
  var seenData = false
  var fileCount = 0
  var recordedHeaderLines = 0
  /// `MULTIPART_PART_HEADERS`, filled as each part ends (even a nameless one, under an empty key).
  var partHeaders: [BodyArgument] = []

  var names: [[UInt8]] = []
  var fileNames: [[UInt8]] = []

  init(config: MultipartParser) {
    self.config = config
    buf.reserveCapacity(MultipartParser.lineBufferSize)
  }

  // MARK: Content-Type

  /// `Multipart::init`: validates the Content-Type and extracts the boundary. Returns whether the
  /// body should be processed.
  mutating func initialize(contentType header: [UInt8]) -> Bool {
    // libmodsecurity works on a C string: stop at the first NUL.
    let header = Array(header.prefix { $0 != 0 })
    if header.isEmpty {
      return fail("Multipart: Content-Type header not available.")
    }
    if header.count > 1024 {
      return fail("Multipart: Invalid boundary in C-T (length).")
    }
    let mime = Array("multipart/form-data".utf8)
    guard header.count >= mime.count, zip(header.prefix(mime.count), mime).allSatisfy({ asciiLower($0) == $1 })
    else {
      return fail("Multipart: Invalid MIME type.")
    }
    if Self.countBoundaryParameters(header) > 1 {
      return fail("Multipart: Multiple boundary parameters in C-T.")
    }
    guard let at = Self.find(Array("boundary".utf8), in: header, from: 0) else {
      if Self.countBoundaryParameters(header) > 0 {
        return fail("Multipart: Invalid boundary in C-T (case sensitivity).")
      }
      return fail("Multipart: Boundary not found in C-T.")
    }
    // Only whitespace and one semicolon may sit between the MIME type and `boundary`.
    var seenSemicolon = false
    var p = mime.count
    while p < at {
      let c = header[p]
      if !isCSpace(c) {
        if !seenSemicolon && c == UInt8(ascii: ";") {
          seenSemicolon = true
        } else {
          return fail("Multipart: Invalid boundary in C-T (malformed).")
        }
      }
      p += 1
    }
    if !seenSemicolon { flags.missingSemicolon = 1 }

    guard let equals = header[(at + 8)...].firstIndex(of: UInt8(ascii: "=")) else {
      return fail("Multipart: Invalid boundary in C-T (malformed).")
    }
    for c in header[(at + 8)..<equals] {
      if isCSpace(c) {
        flags.boundaryWhitespace = 1
      } else {
        return fail("Multipart: Invalid boundary in C-T (parameter name).")
      }
    }
    let value = Array(header[(equals + 1)...])
    if let first = value.first, isCSpace(first) { flags.boundaryWhitespace = 1 }
    let quote = UInt8(ascii: "\"")
    if value.count >= 2 && value[0] == quote && value[value.count - 1] == quote {
      boundary = Array(value[1..<(value.count - 1)])
      // libmodsecurity returns -1 from a bool function here: "success" with an empty boundary
      // and without setting the quoted flag.
      if boundary.isEmpty {
        dashBoundary = SubstringSearch(Array("--".utf8))
        return true
      }
      flags.boundaryQuoted = 1
    } else {
      if value.first == quote || (value.count >= 2 && value.last == quote) {
        return fail("Multipart: Invalid boundary in C-T (quote).")
      }
      boundary = value
      // An empty unquoted boundary makes libmodsecurity give up without a message.
      if boundary.isEmpty { return false }
    }
    if Self.countBoundaryParameters(boundary) != 0 {
      return fail("Multipart: Invalid boundary in C-T (content).")
    }
    if !Self.boundaryCharactersValid(boundary) {
      return fail("Multipart: Invalid boundary in C-T (characters).")
    }
    dashBoundary = SubstringSearch(Array("--".utf8) + boundary)
    return true
  }

  private mutating func fail(_ message: String) -> Bool {
    flags.parserError = 1
    error = message
    return false
  }

  /// `count_boundary_params`: occurrences of `boundary` (any case) with an `=` anywhere after.
  static func countBoundaryParameters(_ text: [UInt8]) -> Int {
    let lower = text.map(asciiLower)
    let needle = Array("boundary".utf8)
    guard let lastEquals = lower.lastIndex(of: UInt8(ascii: "=")) else { return 0 }
    var count = 0
    var from = 0
    while let hit = find(needle, in: lower, from: from) {
      from = hit + needle.count
      if lastEquals >= from { count += 1 }
    }
    return count
  }

  /// RFC 2046 boundary characters; a space is allowed except at the end.
  static func boundaryCharactersValid(_ boundary: [UInt8]) -> Bool {
    for (i, c) in boundary.enumerated() {
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "a")...UInt8(ascii: "z"):
        continue
      case UInt8(ascii: " "):
        if i == boundary.count - 1 { return false }
      case UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "_"),
        UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
        UInt8(ascii: "="), UInt8(ascii: "?"):
        continue
      default:
        return false
      }
    }
    return true
  }

  /// First index of `needle` in `haystack` at or after `from` (short needles and inputs only:
  /// the Content-Type, one header value).
  static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
    guard !needle.isEmpty, from >= 0, haystack.count - from >= needle.count else { return nil }
    var i = from
    while i + needle.count <= haystack.count {
      if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }

  // MARK: Body

  /// `Multipart::process`: feeds the whole body, one line (or 4096-byte chunk) at a time.
  mutating func process(_ data: [UInt8]) {
    if data.isEmpty { return }
    seenData = true
    let size = MultipartParser.lineBufferSize
    var i = 0
    while i < data.count {
      let c = data[i]
      var processBuffer = false
      if c == 0x0D && size - buf.count == 1 {
        // A CR is never the last byte of a chunk: flush first, read it again next round.
        processBuffer = true
      } else {
        buf.append(c)
        i += 1
      }
      if c == 0x0A || buf.count == size || processBuffer {
        if !handleLine(processBuffer: processBuffer) { return }
        buf.removeAll(keepingCapacity: true)
        bufContainsLine = (c == 0x0A)
      }
      if isComplete && i < data.count {
        flags.dataAfter = 1
        return
      }
    }
  }

  /// The byte at `index`, or 0 past the end (the C buffer is NUL-terminated).
  private func at(_ index: Int) -> UInt8 { index < buf.count ? buf[index] : 0 }

  private func bufMatchesBoundary(at start: Int) -> Bool {
    guard start + boundary.count <= buf.count else { return false }
    var k = 0
    while k < boundary.count {
      if buf[start + k] != boundary[k] { return false }
      k += 1
    }
    return true
  }

  /// `std::string(m_buf)`: the buffer up to its first NUL, as text for an error message.
  private var bufText: String {
    String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// One line (or chunk). Returns false when libmodsecurity's `process` would return false.
  private mutating func handleLine(processBuffer: Bool) -> Bool {
    var processedAsBoundary = false
    let cLength = buf.firstIndex(of: 0) ?? buf.count  // strlen(m_buf)
    let dash = UInt8(ascii: "-")
    if bufContainsLine && cLength > 3 && buf[0] == dash && buf[1] == dash {
      if cLength >= boundary.count + 2 && bufMatchesBoundary(at: 2) {
        var end = 2 + boundary.count
        if boundaryCount > 0 { flags.unmatchedBoundary = 2 }
        var isFinal = false
        if at(end) == dash && at(end + 1) == dash {
          isFinal = true
          end += 2
          if isComplete {
            flags.parserError = 1
            error = "Multipart: Invalid boundary (final duplicate)."
            return false
          }
        }
        let crlf = at(end) == 0x0D && at(end + 1) == 0x0A && at(end + 2) == 0
        let lf = at(end) == 0x0A && at(end + 1) == 0
        if crlf || lf {
          if lf { flags.lfLine = 1 } else { flags.crlfLine = 1 }
          if !processBoundary(last: isFinal) { return false }
          if isFinal { isComplete = true }
          processedAsBoundary = true
          boundaryCount += 1
        } else {
          flags.parserError = 1
          error = "Multipart: Invalid boundary: " + bufText
          return false
        }
      } else {
        // Looks like a boundary but is not ours.
        if flags.boundaryQuoted != 0 && cLength >= boundary.count + 3 && buf[2] == UInt8(ascii: "\"")
          && bufMatchesBoundary(at: 3)
        {
          flags.parserError = 1
          error = "Multipart: Invalid boundary (quotes)."
          return false
        }
        var p = 2
        while isCSpace(at(p)) { p += 1 }
        if p != 2 && bufMatchesBoundary(at: p) {
          flags.parserError = 1
          error = "Multipart: Invalid boundary (whitespace)."
          return false
        }
        flags.unmatchedBoundary = 1
      }
    } else if bufContainsLine && flags.unmatchedBoundary != 1 {
      // Anything resembling `--boundary` inside the line? (Skipped when the flag is already 1:
      // the scan can only set it to 1.)
      if dashBoundary.occurs(in: buf) {
        flags.unmatchedBoundary = 1
      }
    }

    if !processedAsBoundary {
      if current == nil {
        flags.dataBefore = 1
      } else if inHeaders {
        if buf.count == MultipartParser.lineBufferSize || processBuffer {
          flags.parserError = 1
          error = "Multipart: Part header line over \(MultipartParser.lineBufferSize) bytes long"
          return false
        }
        processPartHeader()
      } else {
        processPartData()
      }
    }
    return true
  }

  /// `process_boundary`: files the part being built and starts the next one.
  private mutating func processBoundary(last: Bool) -> Bool {
    if let part = current {
      for line in part.headerLines {
        partHeaders.append(BodyArgument(name: part.name, value: line))
      }
      if part.name.isEmpty {
        flags.invalidPart = 1
      } else {
        parts.append(part)
      }
      current = nil
    }
    if !last {
      partCount += 1
      if partCount > config.maxParts {
        flags.parserError = 1
        error = "Multipart: Too many parts (limit \(config.maxParts))."
        return false
      }
      current = MultipartPart()
      inHeaders = true
      reserve = []
    }
    return true
  }

  // MARK: Part headers

  /// `process_part_header`. Errors set the message but never stop parsing (see the type's doc).
  private mutating func processPartHeader() {
    // Move the part out while editing it, so its arrays are not copied on every line.
    guard var part = current.take() else { return }
    defer { current = part }
    if buf.contains(0) {
      error = "Multipart: Nul byte in part headers."
      return
    }
    let len = buf.count
    if len > 1 {
      if buf[len - 2] == 0x0D { flags.crlfLine = 1 } else { flags.lfLine = 1 }
    } else {
      flags.lfLine = 1
    }

    let isEmptyLine = (len == 2 && buf[0] == 0x0D && buf[1] == 0x0A) || (len == 1 && buf[0] == 0x0A)
    if isEmptyLine {
      fileHeaderLine(&part)
      let dispositionKey = Array("content-disposition".utf8)
      guard let disposition = part.headers[dispositionKey] else {
        error = "Multipart: Part missing Content-Disposition header."
        return
      }
      let rc = parseContentDisposition(disposition, into: &part)
      if rc < 0 {
        error = "Multipart: Invalid Content-Disposition header (\(rc)): " + String(decoding: disposition, as: UTF8.self)
        return
      }
      if part.name.isEmpty {
        error = "Multipart: Content-Disposition header missing name field."
        return
      }
      if !part.fileName.isEmpty {
        // Some parsers look for `filename=` crudely; make sure they would see one too.
        if Self.find(Array("filename=".utf8), in: disposition, from: 0) == nil {
          error = "Multipart: Invalid Content-Disposition header (filename)."
          return
        }
        part.isFile = true
      } else {
        part.isFile = false
      }
      inHeaders = false
      part.lastHeaderName = []
      return
    }

    if isCSpace(buf[0]) {
      // Folding: continue the header being built.
      flags.headerFolding = 1
      if buf[0] != 0x09 && buf[0] != 0x20 { flags.invalidHeaderFolding = 1 }
      if part.lastHeaderName.isEmpty {
        error = "Multipart: Invalid part header (folding error)."
        return
      }
      var p = 0
      while p < len && isCSpace(buf[p]) {
        if buf[p] != 0x09 && buf[p] != 0x20 { flags.invalidHeaderFolding = 1 }
        p += 1
      }
      let more = chomp(buf[p...])
      let lowerKey = part.lastHeaderName.map(asciiLower)
      let previous = part.headers[lowerKey] ?? []
      // libmodsecurity keeps appending past the limit; stopping at it keeps this linear.
      if previous.count <= MultipartParser.lineBufferSize {
        part.headers[lowerKey] = previous + [0x20] + more
      }
      if previous.count + 1 + more.count > MultipartParser.lineBufferSize {
        error = "Multipart: Part header too long."
        return
      }
      part.lastHeaderLine = part.lastHeaderName + bytes(": ") + (part.headers[lowerKey] ?? [])
      return
    }

    fileHeaderLine(&part)

    guard let colon = buf.firstIndex(of: UInt8(ascii: ":")) else {
      error = "Multipart: Invalid part header (colon missing): " + bufText
      return
    }
    if colon == 0 {
      error = "Multipart: Invalid part header (header name missing)."
      return
    }
    let name = Array(buf[0..<colon])
    let lowerName = name.map(asciiLower)
    var v = colon + 1
    while v < len && (buf[v] == 0x20 || buf[v] == 0x09) { v += 1 }
    let value = chomp(buf[v...])
    if part.headers[lowerName] != nil {
      return  // "Duplicate part header": logged only, no message
    }
    part.lastHeaderName = name
    part.headers[lowerName] = value
    // The raw line without its line ending (3.0.9 fixed the ending being kept).
    let terminator = (len > 1 && buf[len - 2] == 0x0D) ? 2 : 1
    part.lastHeaderLine = Array(buf[0..<max(0, len - terminator)])
  }

  /// Files the completed header line for `MULTIPART_PART_HEADERS` (bounded by `maxPartHeaderLines`).
  private mutating func fileHeaderLine(_ part: inout MultipartPart) {
    guard !part.lastHeaderLine.isEmpty else { return }
    if recordedHeaderLines < config.maxPartHeaderLines {
      part.headerLines.append(part.lastHeaderLine)
      recordedHeaderLines += 1
    }
    part.lastHeaderLine = []
  }

  /// `parse_content_disposition`: `form-data` plus `name` / `filename` parameters. Returns 1 or
  /// libmodsecurity's negative code. Records `MULTIPART_NAME` / `MULTIPART_FILENAME` as it goes.
  private mutating func parseContentDisposition(_ header: [UInt8], into part: inout MultipartPart) -> Int {
    let v = Array(header.prefix { $0 != 0 })
    func c(_ i: Int) -> UInt8 { i < v.count ? v[i] : 0 }
    let formData = Array("form-data".utf8)
    guard v.count >= 9, Array(v[0..<9]) == formData else { return -1 }
    var p = 9
    while c(p) == 0x09 || c(p) == 0x20 { p += 1 }
    if c(p) == 0 { return 1 }
    if c(p) != UInt8(ascii: ";") { return -2 }
    p += 1
    while c(p) != 0 {
      while c(p) == 0x09 || c(p) == 0x20 { p += 1 }
      if c(p) == 0 { return -3 }
      let start = p
      while c(p) != 0 && c(p) != UInt8(ascii: "=") && c(p) != 0x09 && c(p) != 0x20 { p += 1 }
      if c(p) == 0 { return -4 }
      let paramName = Array(v[start..<p])
      while c(p) == 0x09 || c(p) == 0x20 { p += 1 }
      if c(p) == 0 { return -5 }
      if c(p) != UInt8(ascii: "=") { return -13 }
      p += 1
      while c(p) == 0x09 || c(p) == 0x20 { p += 1 }
      if c(p) == 0 { return -6 }

      var value: [UInt8] = []
      var quote: UInt8 = 0
      if c(p) == UInt8(ascii: "\"") || c(p) == UInt8(ascii: "'") {
        quote = c(p)
        if quote == UInt8(ascii: "'") { flags.invalidQuoting = 1 }
        p += 1
        if c(p) == 0 { return -7 }
        while c(p) != 0 {
          if c(p) == UInt8(ascii: "\\") {
            if c(p + 1) == 0 { return -8 }
            // Only the quote and the backslash can be escaped; other escapes are kept (IE).
            if c(p + 1) == quote || c(p + 1) == UInt8(ascii: "\\") { p += 1 }
          } else if c(p) == quote {
            break
          }
          value.append(c(p))
          p += 1
        }
        p += 1  // over the closing quote (or past the end when unterminated)
      } else {
        let start = p
        while c(p) != 0 && isTokenChar(c(p)) { p += 1 }
        value = Array(v[start..<min(p, v.count)])
      }

      // A single quote inside a double-quoted value is fine (libmodsecurity 3.0.7+); anywhere
      // else it flags invalid quoting.
      let singleQuoteMatters = quote != UInt8(ascii: "\"")
      if paramName == Array("name".utf8) {
        if singleQuoteMatters && value.contains(UInt8(ascii: "'")) { flags.invalidQuoting = 1 }
        names.append(value)
        if !part.name.isEmpty { return -14 }
        part.name = value
      } else if paramName == Array("filename".utf8) {
        if singleQuoteMatters && value.contains(UInt8(ascii: "'")) { flags.invalidQuoting = 1 }
        fileNames.append(value)
        if !part.fileName.isEmpty { return -15 }
        part.fileName = value
      } else {
        return -11
      }

      if p < v.count {
        while c(p) == 0x09 || c(p) == 0x20 { p += 1 }
        if c(p) == 0 { return 1 }
        if c(p) != UInt8(ascii: ";") {
          if p >= 1 && (c(p - 1) == UInt8(ascii: "'") || c(p - 1) == UInt8(ascii: "\"")) {
            flags.invalidQuoting = 1
          }
          return -12
        }
        p += 1
      } else {
        // libmodsecurity reads `*p` here; past the terminator that is undefined, treat as the end.
        return 1
      }
    }
    return 1
  }

  private func isTokenChar(_ c: UInt8) -> Bool {
    if c <= 32 || c >= 127 { return false }
    switch c {
    case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"),
      UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"), UInt8(ascii: "\""),
      UInt8(ascii: "/"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "="):
      return false
    default:
      return true
    }
  }

  // MARK: Part data

  /// `process_part_data`: a line of content; its own line ending is held back until the next line
  /// shows it was not the one before a boundary.
  private mutating func processPartData() {
    // Move the part out while editing it, so its arrays are not copied on every line.
    guard var part = current.take() else { return }
    defer { current = part }
    var len = buf.count
    var held: [UInt8] = []
    if len >= 1 && buf[len - 1] == 0x0A {
      if len >= 2 && buf[len - 2] == 0x0D {
        held = [0x0D, 0x0A]
      } else {
        held = [0x0A]
      }
      len -= held.count
    }
    if part.isFile {
      var stores = config.storesFiles
      if stores && config.fileLimit > 0 && fileCount >= config.fileLimit {
        if flags.fileLimitExceeded == 0 {
          error = "Multipart: Upload file limit exceeded \(config.fileLimit). Use SecUploadFileLimit to change the limit."
          flags.fileLimitExceeded = 1
        }
        stores = false
      }
      if stores && !part.fileCounted {
        part.fileCounted = true
        fileCount += 1
      }
      part.fileSize += len + reserve.count
    } else {
      // libmodsecurity assigns the reserved line ending and then overwrites it with the line.
      part.value.append(contentsOf: buf[0..<len])
    }
    reserve = held
  }

  // MARK: Completion

  /// `multipart_complete`: flags, the final-boundary check, then arguments and files.
  mutating func complete() -> BodyParseResult {
    var result = BodyParseResult()
    result.multipartNames = names
    result.multipartFileNames = fileNames
    result.multipart = flags

    if seenData && !isComplete {
      if boundaryCount > 0 {
        // The final boundary may be the unterminated last line.
        if bufContainsLine && buf.count == 4 + boundary.count && at(0) == UInt8(ascii: "-")
          && at(1) == UInt8(ascii: "-") && bufMatchesBoundary(at: 2)
          && at(2 + boundary.count) == UInt8(ascii: "-") && at(3 + boundary.count) == UInt8(ascii: "-")
        {
          _ = processBoundary(last: true)
          isComplete = true
        }
        result.partHeaders = partHeaders
        if !isComplete {
          result.error = "Multipart parsing error: Multipart: Final boundary missing."
          return result
        }
      } else {
        result.error = "Multipart parsing error: Multipart: No boundaries found in payload."
        return result
      }
    }

    result.partHeaders = partHeaders
    for part in parts where !part.name.isEmpty {
      if part.isFile {
        result.files.append(MultipartFile(fieldName: part.name, fileName: part.fileName, size: part.fileSize))
        result.filesCombinedSize += part.fileSize
      } else {
        result.arguments.append(BodyArgument(name: part.name, value: part.value))
      }
    }
    if let error { result.error = "Multipart parsing error: " + error }
    return result
  }
}

/// C's `isspace` in the "C" locale.
@inline(__always)
private func isCSpace(_ c: UInt8) -> Bool {
  c == 0x20 || (c >= 0x09 && c <= 0x0D)
}

/// libmodsecurity's `chomp`: strips trailing CR/LF, unless the string is nothing but CR/LF (its
/// `find_last_not_of` finds nothing and it leaves the string alone).
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func chomp(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
  guard let last = bytes.lastIndex(where: { $0 != 0x0D && $0 != 0x0A }) else { return Array(bytes) }
  return Array(bytes[bytes.startIndex...last])
}

/// Knuth–Morris–Pratt search for one fixed needle, so scanning every line of a large body for
/// `--boundary` stays linear whatever the boundary looks like.
struct SubstringSearch: Sendable {
  let needle: [UInt8]
  private let failure: [Int]

  init(_ needle: [UInt8]) {
    self.needle = needle
    var failure = [Int](repeating: 0, count: needle.count)
    var k = 0
    var i = 1
    while i < needle.count {
      while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
      if needle[i] == needle[k] { k += 1 }
      failure[i] = k
      i += 1
    }
    self.failure = failure
  }

  /// Whether the needle occurs anywhere in `haystack`.
  func occurs(in haystack: [UInt8]) -> Bool {
    if needle.isEmpty { return true }
    var k = 0
    for byte in haystack {
      while k > 0 && byte != needle[k] { k = failure[k - 1] }
      if byte == needle[k] { k += 1 }
      if k == needle.count { return true }
    }
    return false
  }
}

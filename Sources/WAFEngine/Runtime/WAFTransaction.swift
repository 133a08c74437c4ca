import Glibc
import PolicyCore

/// One request's pass through the rule set: the collections ModSecurity builds from it, the phase
/// loop, and what matched. Not thread-safe; cheap to create (the rule set is shared and immutable).
public final class WAFTransaction {
  let ruleSet: WAFRuleSet
  let settings: WAFSettings
  public let request: HTTPRequest
  @exclusivity(unchecked) var response: HTTPResponse?

  // Engine state that ctl can change.
  @exclusivity(unchecked) var engineMode: EngineMode
  @exclusivity(unchecked) var requestBodyAccess: Bool
  @exclusivity(unchecked) var responseBodyAccess: Bool
  @exclusivity(unchecked) var forceRequestBodyVariable = false
  @exclusivity(unchecked) var bodyProcessor: BodyProcessorKind?
  @exclusivity(unchecked) var removedRuleIDs: [ClosedRange<Int>] = []
  @exclusivity(unchecked) var removedTags: [Int] = []
  @exclusivity(unchecked) var removedTargetsByID: [([ClosedRange<Int>], RuleExclusion)] = []
  @exclusivity(unchecked) var removedTargetsByTag: [(Int, RuleExclusion)] = []
  /// The id ranges and tag ids of the two lists above, for the per-rule check.
  @exclusivity(unchecked) var removedTargetRanges: [ClosedRange<Int>] = []
  @exclusivity(unchecked) var removedTargetTags: [Int] = []
  /// The smallest and largest id in `removedTargetRanges` (an empty hull while there are none),
  /// and `Rule.tagBit` of every tag in `removedTargetTags`: most rules are ruled out by these.
  @exclusivity(unchecked) var removedTargetIDLow = Int.max
  @exclusivity(unchecked) var removedTargetIDHigh = Int.min
  @exclusivity(unchecked) var removedTargetTagMask: UInt64 = 0

  // Collections.
  @exclusivity(unchecked) var argsGet = StoredEntries()
  @exclusivity(unchecked) var argsPost = StoredEntries()
  @exclusivity(unchecked) var requestHeaders = StoredEntries()
  @exclusivity(unchecked) var requestCookies = StoredEntries()
  @exclusivity(unchecked) var responseHeaders = StoredEntries()
  @exclusivity(unchecked) var files = StoredEntries()
  @exclusivity(unchecked) var filesNames = StoredEntries()
  @exclusivity(unchecked) var filesSizes = StoredEntries()
  @exclusivity(unchecked) var multipartPartHeaders = StoredEntries()
  @exclusivity(unchecked) var multipartFilename = StoredEntries()
  @exclusivity(unchecked) var multipartName = StoredEntries()
  @exclusivity(unchecked) var scalars = ScalarValues()
  /// TX, IP, GLOBAL, SESSION, USER, RESOURCE, indexed by `VariableName.writableIndex`.
  /// Read and written in place through the pointer (an array element would be copied out, with
  /// its three buffers retained, on every TX read); freed in `deinit`.
  let writable: UnsafeMutablePointer<WritableCollection>
  @exclusivity(unchecked) var env = WritableCollection()
  /// MATCHED_VARS: the variable name (`ARGS:q`) as the key, the matched value as the value.
  @exclusivity(unchecked) var matchedVars: [EntrySpans]
  @exclusivity(unchecked) var matchedVar = ByteSpan.empty
  @exclusivity(unchecked) var matchedVarName = ByteSpan.empty
  @exclusivity(unchecked) var xmlDocument: XMLBodyDocument? {
    didSet { xmlValues.removeAll() }
  }
  /// Per XPath, the XML values as candidates (in the arena).
  @exclusivity(unchecked) var xmlValues: [String: [Candidate]] = [:]
  @exclusivity(unchecked) var highestSeverity = 255

  // Evaluation state.
  let scratch: PCRE2Regex.Scratch?
  /// ``scratch`` for the match loop, which would otherwise retain it per match.
  let scratchReference: Unmanaged<PCRE2Regex.Scratch>?
  /// What transformations read from the configuration, built once per transaction.
  let transformationContext: TransformationContext
  /// `SecPcreMatchLimit`, read on every regular expression match.
  let pcreMatchLimit: UInt32
  /// Transformed values by (transformation chain, variable) and entry index. Request values
  /// never change once read (POST arguments only append), so entries stay valid all
  /// transaction long.
  @exclusivity(unchecked) var transformationCache: TransformationCache
  /// Per stored value (variable, entry): which transformations leave it unchanged.
  @exclusivity(unchecked) var transformationIdentities: IntegerKeyedTable<TransformationIdentities>
  /// The rule being evaluated (RULE, %{rule.id}); the rule set keeps it alive.
  @exclusivity(unchecked) unowned(unsafe) var currentRule: Rule?
  @exclusivity(unchecked) var candidateBuffer: [Candidate]
  /// Scratch for building the per-phase lists.
  @exclusivity(unchecked) var sharedBuffer: [Candidate]
  /// Where setvar builds a macro-made key or value before storing it (reused, so a write
  /// allocates nothing).
  @exclusivity(unchecked) var expansionBuffer: [UInt8]
  /// Two buffers transformations write into in turn (see
  /// ``applyTransformations(_:to:remembering:)``), used in place through the pointer (moving
  /// them in and out would retain them on every value); they come from, and go back to, the
  /// buffer pool.
  let transformBuffers: UnsafeMutablePointer<[UInt8]>
  /// Per ``WAFRuleSet/phraseScanSets`` entry, its last scan (grown on first use).
  @exclusivity(unchecked) var phraseScans: [PhraseScanMemo]
  /// Where a rule's `ctl:ruleRemoveTarget*` removals are gathered (reused).
  @exclusivity(unchecked) var removalBuffer: [RuleExclusion] = []
  /// Memory for the values, keys and lists the rule loop reads, emptied with the transaction
  /// (the arena and the tables above come from, and go back to, the rule set's buffer pool).
  @exclusivity(unchecked) var arena: ByteArena
  /// Counts phases; lists below built in an earlier phase are stale.
  @exclusivity(unchecked) var phaseGeneration: UInt32 = 0
  /// Per variable (`cacheIndex`), all its values this phase (see ``sharedCandidates(at:for:)``).
  @exclusivity(unchecked) var phaseCandidates = [CandidateList](repeating: CandidateList(), count: VariableName.cacheIndexCount)
  /// The marker number a matched rule's skipAfter is skipping to, or -1.
  @exclusivity(unchecked) var skipAfter: Int32 = -1
  @exclusivity(unchecked) var skipCount = 0
  @exclusivity(unchecked) var allowScope: Disruptive.AllowScope?
  @exclusivity(unchecked) var requestProcessed = false
  @exclusivity(unchecked) var evaluationSteps = 0

  @exclusivity(unchecked) public internal(set) var matches: [WAFMatch] = []
  /// Where the texts of `matches` go (see ``MatchTextBlock``).
  @exclusivity(unchecked) var matchTexts: MatchTextBlock?
  @exclusivity(unchecked) public internal(set) var intervention: WAFIntervention?


  public init(ruleSet: WAFRuleSet, request: HTTPRequest) {
    self.ruleSet = ruleSet
    self.settings = ruleSet.settings
    self.request = request
    self.engineMode = ruleSet.settings.engineMode
    self.requestBodyAccess = ruleSet.settings.requestBodyAccess
    self.responseBodyAccess = ruleSet.settings.responseBodyAccess
    let scratch = PCRE2Regex.Scratch(pairs: 16)
    self.scratch = scratch
    self.scratchReference = scratch.map { Unmanaged.passUnretained($0) }
    self.transformationContext = TransformationContext(unicodeMap: ruleSet.settings.unicodeMap)
    self.pcreMatchLimit = ruleSet.settings.pcreMatchLimit
    self.writable = UnsafeMutablePointer<WritableCollection>.allocate(capacity: VariableName.writableCount)
    self.writable.initialize(repeating: WritableCollection(), count: VariableName.writableCount)
    let hints = ruleSet.bufferPool.hints
    if hints.txEntries > 0 { writable[VariableName.tx.writableIndex].reserve(bytes: hints.txBytes, entries: hints.txEntries) }
    if hints.matches > 0 { matches.reserveCapacity(hints.matches) }
    let buffers = ruleSet.bufferPool.take()
    arena = buffers.arena
    transformationCache = buffers.transformationCache
    transformationIdentities = buffers.transformationIdentities
    candidateBuffer = buffers.candidates
    sharedBuffer = buffers.shared
    expansionBuffer = buffers.expansion
    phraseScans = buffers.phraseScans
    transformBuffers = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 2)
    transformBuffers.initialize(to: buffers.transformBuffers.0)
    (transformBuffers + 1).initialize(to: buffers.transformBuffers.1)
    matchedVars = buffers.matchedVars
  }

  deinit {
    // Moved out (swapped with empty values), so the pool gets the only reference to each buffer
    // and emptying them copies nothing.
    var buffers = TransactionBuffers()
    swap(&buffers.arena, &arena)
    swap(&buffers.transformationCache, &transformationCache)
    swap(&buffers.transformationIdentities, &transformationIdentities)
    swap(&buffers.candidates, &candidateBuffer)
    swap(&buffers.shared, &sharedBuffer)
    swap(&buffers.expansion, &expansionBuffer)
    swap(&buffers.phraseScans, &phraseScans)
    buffers.transformBuffers = (transformBuffers.move(), (transformBuffers + 1).move())
    transformBuffers.deallocate()
    swap(&buffers.matchedVars, &matchedVars)
    let tx = writable[VariableName.tx.writableIndex].footprint
    ruleSet.bufferPool.record(txBytes: tx.bytes, txEntries: tx.entries, matches: matches.count)
    ruleSet.bufferPool.give(buffers)
    writable.deinitialize(count: VariableName.writableCount)
    writable.deallocate()
  }

  // MARK: Phases

  /// Phases 1 and 2: connection, request line, headers, body.
  public func processRequest() {
    guard !requestProcessed else { return }
    requestProcessed = true
    populateRequestLine()
    populateHeaders()
    runPhase(1)
    if intervention == nil {
      processRequestBody()
      runPhase(2)
    }
  }

  /// Phases 3 and 4: response headers and body.
  public func processResponse(_ response: HTTPResponse) {
    processRequest()
    self.response = response
    guard intervention == nil else { return }
    responseHeaders = storeEntries(response.headers.map { storedEntry(name: $0.name, value: $0.value) })
    scalars[.responseStatus] = arena.storeDecimal(response.status)
    scalars[.responseProtocol] = storedText(response.httpVersion)
    scalars[.statusLine] = storedText("\(response.httpVersion) \(response.status)")
    if let ct = response.headers.first(where: { asciiCaseInsensitiveEquals($0.name, "Content-Type") }) {
      scalars[.responseContentType] = storedText(ct.value)
    }
    scalars[.responseContentLength] = arena.storeDecimal(response.body.count)
    runPhase(3)
    guard intervention == nil else { return }
    if responseBodyAccess, responseBodyInspectable(response) {
      var inspected = response.body.count
      if inspected > settings.responseBodyLimit {
        inspected = settings.responseBodyLimit
        if settings.responseBodyLimitReject {
          scalars[.outboundDataError] = Self.digit1
        }
      }
      scalars[.responseBody] = response.body.withUnsafeBufferPointer { arena.store(UnsafeBufferPointer(rebasing: $0.prefix(inspected))) }
    }
    runPhase(4)
  }

  /// Phase 5: logging rules (run even after an intervention).
  public func processLogging() {
    processRequest()
    runPhase(5, ignoringIntervention: true)
  }

  public var result: WAFResult {
    WAFResult(
      intervention: intervention, matches: matches, tx: writable[VariableName.tx.writableIndex],
      hostname: request.header("Host") ?? request.serverAddress, uri: request.uri, uniqueID: uniqueID)
  }

  static let cookieName = Array("cookie".utf8)

  /// `0` and `1`, the values of the error flags.
  private static let digits = OwnedBytes(Array("01".utf8))
  static var digit0: ByteSpan { digits.span.prefix(1) }
  static var digit1: ByteSpan { digits.span.dropFirst(1) }

  /// A string's UTF-8 in the arena (read in place when the string is contiguous).
  func storedText(_ text: String) -> ByteSpan {
    if let stored = text.utf8.withContiguousStorageIfAvailable({ arena.store($0) }) { return stored }
    return arena.store(Array(text.utf8))
  }

  var uniqueID: String { "\(UInt(bitPattern: ObjectIdentifier(self).hashValue))" }

  private func responseBodyInspectable(_ response: HTTPResponse) -> Bool {
    guard let ct = response.headers.first(where: { asciiCaseInsensitiveEquals($0.name, "Content-Type") })?.value else {
      return false
    }
    // The media type: the first non-empty `;`-separated piece, spaces trimmed, compared
    // without case.
    let bytes = Array(ct.utf8)
    var start = 0
    while start < bytes.count, bytes[start] == UInt8(ascii: ";") { start += 1 }
    var end = bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    while start < end, isSpace(bytes[start]) { start += 1 }
    while end > start, isSpace(bytes[end - 1]) { end -= 1 }
    let mime = bytes[start..<end]
    return settings.responseBodyMimeTypes.contains { asciiCaseInsensitiveEquals(mime, $0.utf8) }
  }

  // MARK: Request population

  func populateRequestLine() {
    let r = request
    scalars[.remoteAddr] = storedText(r.clientAddress)
    scalars[.remotePort] = arena.storeDecimal(r.clientPort)
    scalars[.serverAddr] = storedText(r.serverAddress)
    scalars[.serverPort] = arena.storeDecimal(r.serverPort)
    scalars[.uniqueID] = storedText(uniqueID)
    scalars[.requestMethod] = storedText(r.method)
    scalars[.requestProtocol] = storedText(r.httpVersion)
    let raw = Array(r.uri.utf8)
    scalars[.requestLine] = storedText("\(r.method) \(r.uri) \(r.httpVersion)")
    let rawSpan = arena.store(raw)
    scalars[.requestURIRaw] = rawSpan
    let decoded = uriDecode(raw)
    // Path and query split on the decoded URI, as ModSecurity 3 does.
    let questionRaw = raw.firstIndex(of: UInt8(ascii: "?"))
    let questionDecoded = decoded.firstIndex(of: UInt8(ascii: "?"))
    let decodedSpan = decoded.count == raw.count && questionRaw == questionDecoded && decoded == raw ? rawSpan : arena.store(decoded)
    let path = decodedSpan.prefix(questionDecoded ?? decoded.count)
    scalars[.requestFilename] = path
    scalars[.pathInfo] = path
    // The part after the last slash or backslash; empty for "/" (ModSecurity 3 still sets it).
    if let slash = path.buffer.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) {
      scalars[.requestBasename] = path.dropFirst(slash + 1)
    } else {
      scalars[.requestBasename] = path
    }
    var parsedURI = decodedSpan
    if let first = decoded.first, first != UInt8(ascii: "/"),
      let schemeEnd = decoded.withUnsafeBufferPointer({ firstOccurrence(of: Array("://".utf8), in: $0) })
    {
      if let hostEnd = decoded[(schemeEnd + 3)...].firstIndex(of: UInt8(ascii: "/")) {
        parsedURI = decodedSpan.dropFirst(hostEnd)
      }
    }
    scalars[.requestURI] = parsedURI
    if let q = questionRaw {
      scalars[.queryString] = rawSpan.dropFirst(q + 1)
      argsGet = parseURLEncoded(Array(raw[(q + 1)...]))
    } else {
      scalars[.queryString] = .empty
    }
    let now = time(nil)
    scalars[.timeEpoch] = arena.storeDecimal(now)
  }

  func populateHeaders() {
    requestHeaders = storeEntries(request.headers.map { storedEntry(name: $0.name, value: $0.value) })
    var cookies: [EntrySpans] = []
    for header in requestHeaders.buffer where asciiCaseInsensitiveEquals(header.key.buffer, Self.cookieName) {
      for piece in header.value.buffer.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
        var start = piece.startIndex
        while start < piece.endIndex, piece[start] == 0x20 { start += 1 }
        if start == piece.endIndex { continue }
        let part = UnsafeBufferPointer(rebasing: piece[start...])
        if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
          cookies.append(storedEntry(key: UnsafeBufferPointer(rebasing: part[..<eq]), value: UnsafeBufferPointer(rebasing: part[(eq + 1)...])))
        } else {
          cookies.append(storedEntry(key: part, value: UnsafeBufferPointer(start: nil, count: 0)))
        }
      }
    }
    if !cookies.isEmpty { requestCookies = storeEntries(cookies) }
    // The body processor from the Content-Type, when request bodies are inspected.
    // ModSecurity 3 compares prefixes, so `multipart/form-data boundary=x` (no semicolon) still
    // reaches the multipart processor, which then flags MULTIPART_MISSING_SEMICOLON.
    if let ct = request.header("Content-Type") {
      let mime = asciiLowercased(ct.trimmingASCIISpaces())
      if mime.hasPrefix("application/x-www-form-urlencoded") {
        bodyProcessor = .urlencoded
      } else if mime.hasPrefix("multipart/form-data") {
        bodyProcessor = .multipart
      }
    }
  }

  func parseURLEncoded(_ bytes: [UInt8]) -> StoredEntries {
    let result = URLEncodedParser(separator: settings.argumentSeparator).parse(bytes)
    if result.invalidEncodings > 0 { scalars[.urlencodedError] = Self.digit1 }
    return storeEntries(result.arguments.map { storedEntry(key: $0.name, value: $0.value) })
  }

  // MARK: Request collections

  /// A request collection's entries: key, lowercased key and value in the arena, and the list
  /// there too, so the rule loop reads them in place and the transaction frees them all at once.
  struct StoredEntries {
    var base: UnsafePointer<EntrySpans>?
    var count = 0

    var buffer: UnsafeBufferPointer<EntrySpans> { UnsafeBufferPointer(start: base, count: count) }
  }

  /// One entry's bytes copied into the arena (the lowercased key shares the key's bytes when the
  /// key has no capitals).
  func storedEntry(key: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> EntrySpans {
    let stored = arena.store(key)
    let lowered = key.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? arena.storeLowercased(stored.buffer) : stored
    return EntrySpans(key: stored, loweredKey: lowered, value: arena.store(value))
  }

  func storedEntry(key: [UInt8], value: [UInt8]) -> EntrySpans {
    key.withUnsafeBufferPointer { key in value.withUnsafeBufferPointer { storedEntry(key: key, value: $0) } }
  }

  /// A header's name and value, read from the strings' UTF-8 in place when they are contiguous.
  func storedEntry(name: String, value: String) -> EntrySpans {
    let stored = name.utf8.withContiguousStorageIfAvailable { key in
      value.utf8.withContiguousStorageIfAvailable { storedEntry(key: key, value: $0) }
    }
    return (stored ?? nil) ?? storedEntry(key: Array(name.utf8), value: Array(value.utf8))
  }

  func storeEntries(_ entries: [EntrySpans]) -> StoredEntries {
    let stored = arena.store(entries)
    return StoredEntries(base: stored.baseAddress, count: stored.count)
  }

  /// ModSecurity 3's URI decoding (`utils::uri_decode`): valid `%HH` escapes become bytes,
  /// anything else (a stray `%`, and `+`) stays as sent. Unlike `t:urlDecode`, `+` is no space.
  func uriDecode(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.contains(UInt8(ascii: "%")) else { return bytes }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, ByteClass.isHex(bytes[i + 1]), ByteClass.isHex(bytes[i + 2]) {
        out.append(UInt8(ByteClass.hexValue(bytes[i + 1]) << 4 | ByteClass.hexValue(bytes[i + 2])))
        i += 3
        continue
      }
      out.append(bytes[i])
      i += 1
    }
    return out
  }

  // MARK: Request body

  func processRequestBody() {
    let body = request.body
    scalars[.requestBodyLength] = arena.storeDecimal(body.count)
    scalars[.reqbodyError] = Self.digit0
    scalars[.reqbodyProcessorError] = Self.digit0
    scalars[.reqbodyErrorMsg] = .empty
    // libmodsecurity defines these whatever the body: empty until a multipart body sets them.
    for variable in Self.multipartScalars { scalars[variable] = .empty }
    guard requestBodyAccess else { return }
    var inspected = body
    if body.count > settings.requestBodyLimit {
      inspected = Array(body.prefix(settings.requestBodyLimit))
      scalars[.inboundDataError] = Self.digit1
      if settings.requestBodyLimitReject {
        setBodyError("Request body is larger than the configured limit (\(settings.requestBodyLimit)).")
        if case .on = engineMode {
          intervention = WAFIntervention(status: 413, ruleID: 0, redirect: nil, action: "deny")
        }
        return
      }
    }
    // ModSecurity 3 keeps the raw body in REQUEST_BODY whichever processor runs.
    scalars[.requestBody] = arena.store(inspected)
    // SecRequestBodyNoFilesLimit, as libmodsecurity 3.0.9 applies it (checked against it): a
    // body for the URL-encoded, JSON or XML processor longer than the limit is not parsed and
    // sets REQBODY_ERROR (CRS's rule 200002 then denies); a multipart body is parsed and errs when
    // its parts other than files hold more than the limit. Bodies no processor reads are exempt.
    if let processor = bodyProcessor, processor != .multipart, inspected.count > settings.requestBodyNoFilesLimit {
      setBodyError(Self.noFilesLimitMessage)
      setArgsCombinedSize()
      return
    }
    switch bodyProcessor {
    case .urlencoded:
      argsPost = parseURLEncoded(inspected)
    case .json:
      let parsed = JSONBodyProcessor(depthLimit: settings.requestBodyJSONDepthLimit, argumentsLimit: settings.argumentsLimit)
        .parse(inspected, existingArguments: argsGet.count)
      argsPost = storeEntries(parsed.arguments.map { storedEntry(key: $0.name, value: $0.value) })
      if let error = parsed.error { setBodyError(error) }
    case .xml:
      let parsed = XMLBodyProcessor().parse(inspected)
      xmlDocument = parsed.xml
      if let error = parsed.error { setBodyError(error) }
    case .multipart:
      let parsed = MultipartParser(fileLimit: settings.uploadFileLimit).parse(
        contentType: request.header("Content-Type") ?? "", body: inspected)
      applyMultipart(parsed)
      let kept = parsed.arguments.reduce(0) { $0 + $1.value.count }
      if kept > settings.requestBodyNoFilesLimit { setBodyError(Self.noFilesLimitMessage) }
    case nil:
      break
    }
    if argsPost.count + argsGet.count > settings.argumentsLimit {
      let allowed = max(0, settings.argumentsLimit - argsGet.count)
      argsPost.count = min(argsPost.count, allowed)
    }
    setArgsCombinedSize()
  }

  static let multipartScalars: [VariableName] = [
    .filesCombinedSize, .multipartStrictError, .multipartUnmatchedBoundary, .multipartBoundaryQuoted,
    .multipartBoundaryWhitespace, .multipartDataBefore, .multipartDataAfter, .multipartHeaderFolding,
    .multipartLFLine, .multipartCRLFLFLines, .multipartMissingSemicolon, .multipartInvalidQuoting,
    .multipartInvalidPart, .multipartInvalidHeaderFolding, .multipartFileLimitExceeded,
  ]

  static let noFilesLimitMessage = "Request body excluding files is bigger than the maximum expected."

  /// ARGS_COMBINED_SIZE as libmodsecurity 3.0.9 reports it: names and values of the query
  /// string's arguments and of URL-encoded or JSON body arguments (multipart parts are not
  /// counted), printed as a C double (`38.000000`); empty when no argument counted.
  func setArgsCombinedSize() {
    var combined = 0
    var counted = false
    for a in argsGet.buffer {
      combined += a.key.count + a.value.count
      counted = true
    }
    if bodyProcessor != .multipart {
      for a in argsPost.buffer {
        combined += a.key.count + a.value.count
        counted = true
      }
    }
    scalars[.argsCombinedSize] = counted ? storedText("\(combined).000000") : .empty
  }

  func applyMultipart(_ parsed: BodyParseResult) {
    argsPost = storeEntries(parsed.arguments.map { storedEntry(key: $0.name, value: $0.value) })
    files = storeEntries(parsed.files.map { storedEntry(key: $0.fieldName, value: $0.fileName) })
    filesNames = storeEntries(parsed.files.map { storedEntry(key: $0.fieldName, value: $0.fieldName) })
    filesSizes = storeEntries(parsed.files.map { storedEntry(key: $0.fieldName, value: Array(String($0.size).utf8)) })
    scalars[.filesCombinedSize] = arena.storeDecimal(parsed.filesCombinedSize)
    multipartPartHeaders = storeEntries(parsed.partHeaders.map { storedEntry(key: $0.name, value: $0.value) })
    multipartName = storeEntries(parsed.multipartNames.map { storedEntry(key: $0, value: $0) })
    multipartFilename = storeEntries(parsed.multipartFileNames.map { storedEntry(key: $0, value: $0) })
    if let flags = parsed.multipart {
      func set(_ v: VariableName, _ n: Int) { scalars[v] = arena.storeDecimal(n) }
      set(.multipartStrictError, flags.strictError)
      set(.multipartUnmatchedBoundary, flags.unmatchedBoundary)
      set(.multipartBoundaryQuoted, flags.boundaryQuoted)
      set(.multipartBoundaryWhitespace, flags.boundaryWhitespace)
      set(.multipartDataBefore, flags.dataBefore)
      set(.multipartDataAfter, flags.dataAfter)
      set(.multipartHeaderFolding, flags.headerFolding)
      set(.multipartLFLine, flags.lfLine)
      set(.multipartCRLFLFLines, flags.crlfLFLines)
      set(.multipartMissingSemicolon, flags.missingSemicolon)
      set(.multipartInvalidQuoting, flags.invalidQuoting)
      set(.multipartInvalidPart, flags.invalidPart)
      set(.multipartInvalidHeaderFolding, flags.invalidHeaderFolding)
      set(.multipartFileLimitExceeded, flags.fileLimitExceeded)
    }
    if let error = parsed.error { setBodyError(error) }
  }

  func setBodyError(_ message: String) {
    scalars[.reqbodyError] = Self.digit1
    scalars[.reqbodyErrorMsg] = storedText(message)
    scalars[.reqbodyProcessorError] = Self.digit1
    scalars[.reqbodyProcessorErrorMsg] = storedText(message)
  }

  // MARK: Phase loop

  func runPhase(_ phase: Int, ignoringIntervention: Bool = false) {
    if case .off = engineMode { return }
    if let scope = allowScope {
      switch scope {
      case .all: if phase != 5 { return }
      case .request: if phase <= 2 { return }
      case .phase: allowScope = nil
      }
    }
    skipAfter = -1
    skipCount = 0
    // Collections change between phases (the body is parsed after phase 1, response headers
    // arrive before phase 3): lists built before this phase are stale.
    phaseGeneration &+= 1
    ruleSet.steps[phase].withUnsafeBufferPointer { steps in
      for index in steps.indices {
        if case .off = engineMode { return }
        if !ignoringIntervention, intervention != nil { return }
        guard let reference = steps[index].rule else {
          if skipAfter == steps[index].marker { skipAfter = -1 }
          continue
        }
        if skipAfter >= 0 { continue }
        if skipCount > 0 {
          skipCount -= 1
          continue
        }
        let stop = reference._withUnsafeGuaranteedRef { rule -> Bool in
          if isRemoved(rule) { return false }
          if !matchedVars.isEmpty { matchedVars.removeAll(keepingCapacity: true) }
          currentRule = rule
          guard evaluate(rule, starter: rule) else { return false }
          if steps[index].skipAfter >= 0 { skipAfter = steps[index].skipAfter }
          if rule.skip > 0 { skipCount = rule.skip }
          if case .allow(let scope)? = rule.disruptive, case .on = engineMode {
            allowScope = scope
            return true
          }
          return false
        }
        if stop { return }
      }
    }
  }

  func isRemoved(_ rule: Rule) -> Bool {
    if removedRuleIDs.contains(where: { $0.contains(rule.id) }) { return true }
    if !removedTags.isEmpty, rule.tagIDs.contains(where: { removedTags.contains($0) }) { return true }
    return false
  }
}

/// A transaction's single values (REQUEST_URI, REQUEST_BODY, ...), in a table indexed by the
/// variable's position rather than a dictionary (read on most rules).
struct ScalarValues {
  private var values = [ByteSpan?](repeating: nil, count: VariableName.cacheIndexCount)

  /// The value (in the transaction's arena), or nil when the variable is not set.
  subscript(variable: VariableName) -> ByteSpan? {
    get { values[Int(variable.cacheIndex)] }
    set { values[Int(variable.cacheIndex)] = newValue }
  }
}

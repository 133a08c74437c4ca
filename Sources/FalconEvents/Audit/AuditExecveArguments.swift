/// Reassembles argv from the EXECVE records of one event.
///
/// The kernel writes `argc=N` and then `a0=... a1=...`, spreading them over as many EXECVE
/// records as it needs (each at most about 7,500 bytes). An argument that does not fit the rest
/// of a record is written as `aN_len=L` followed by chunks `aN[0]=... aN[1]=...`, possibly in
/// the next record. Each argument, whole or in chunks, is quoted text or, when it holds a byte
/// the kernel will not quote (a control byte, a space, `"`, anything above 0x7E), a hex run;
/// an argument longer than the record is always hex. `aN_len` counts the characters logged
/// (hex digits for a hex argument), which is checked against the chunks.
struct AuditExecveArguments {
  /// `argc` as logged, when seen.
  private(set) var argc: Int?
  /// The arguments decoded so far, by index.
  private(set) var arguments: [String] = []
  private let maxArguments: Int
  /// The argument whose chunks are being gathered, -1 when none.
  private var pendingIndex = -1
  private var pendingDeclaredLength: Int?
  private var pendingBytes: [UInt8] = []
  private var pendingHex: [UInt8] = []
  private var pendingLoggedLength = 0
  /// Problems to report, with the message text.
  private(set) var problems: [(code: ProblemCode, message: String)] = []
  /// Whether arguments beyond the limit were dropped.
  private(set) var truncated = false

  enum ProblemCode { case mismatch, limit }

  init(maxArguments: Int) {
    self.maxArguments = maxArguments
  }

  /// Reads one field of an EXECVE record.
  mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField) {
    let keyLength = field.keyEnd - field.keyStart
    guard keyLength >= 2, bytes[field.keyStart] == UInt8(ascii: "a") else { return }
    if AuditValue.keyEquals(bytes, field, "argc") {
      guard let count = AuditValue.decimal(bytes, field.valueStart, field.valueEnd), count >= 0
      else {
        report(.mismatch, "EXECVE argc is not a number")
        return
      }
      if count > maxArguments {
        report(.limit, "EXECVE argc=\(count) is more than the limit of \(maxArguments) arguments")
        truncated = true
      }
      argc = Int(min(count, Int64(maxArguments)))
      arguments.reserveCapacity(min(Int(count), maxArguments, 4_096))
      return
    }
    // aN, aN_len or aN[i].
    var position = field.keyStart + 1
    var index = 0
    var digits = 0
    while position < field.keyEnd, let digit = decimalDigit(bytes[position]) {
      if digits < 10 { index = index * 10 + Int(digit) }
      digits += 1
      position += 1
    }
    guard digits > 0 else { return }
    if digits > 9 || index >= maxArguments {
      if !truncated {
        report(
          .limit,
          "EXECVE argument a\(digits > 9 ? "…" : String(index)) is beyond the limit of \(maxArguments) arguments"
        )
      }
      truncated = true
      return
    }
    if position == field.keyEnd {
      finishPending()
      store(AuditValue.untrustedString(bytes, field) ?? "", at: index)
    } else if bytes[position] == UInt8(ascii: "_") {
      // aN_len=L starts a chunked argument.
      finishPending()
      pendingIndex = index
      pendingDeclaredLength = AuditValue.decimal(bytes, field.valueStart, field.valueEnd).map {
        Int($0)
      }
    } else if bytes[position] == UInt8(ascii: "[") {
      if pendingIndex != index {
        finishPending()
        pendingIndex = index
      }
      let length = field.valueEnd - field.valueStart
      pendingLoggedLength += length
      if field.quoted {
        flushHex()
        pendingBytes.append(
          contentsOf: UnsafeBufferPointer(rebasing: bytes[field.valueStart..<field.valueEnd]))
      } else {
        pendingHex.append(
          contentsOf: UnsafeBufferPointer(rebasing: bytes[field.valueStart..<field.valueEnd]))
      }
    }
  }

  /// Ends the event: completes a chunked argument and checks `argc`.
  mutating func finish() -> [String] {
    finishPending()
    if let argc, !truncated, argc != arguments.count {
      report(.mismatch, "EXECVE argc=\(argc) but \(arguments.count) arguments were logged")
    }
    return arguments
  }

  private mutating func finishPending() {
    guard pendingIndex >= 0 else { return }
    flushHex()
    if let declared = pendingDeclaredLength, declared != pendingLoggedLength {
      report(
        .mismatch,
        "EXECVE a\(pendingIndex)_len=\(declared) but its chunks hold \(pendingLoggedLength) characters"
      )
    }
    store(String(decoding: pendingBytes, as: UTF8.self), at: pendingIndex)
    pendingIndex = -1
    pendingDeclaredLength = nil
    pendingBytes.removeAll(keepingCapacity: true)
    pendingLoggedLength = 0
  }

  /// Decodes gathered hex chunks (kept as text if they are not valid hex).
  private mutating func flushHex() {
    guard !pendingHex.isEmpty else { return }
    let valid = pendingHex.withUnsafeBufferPointer { hex in
      AuditValue.appendHexDecoded(hex, 0, hex.count, to: &pendingBytes)
    }
    if !valid { pendingBytes.append(contentsOf: pendingHex) }
    pendingHex.removeAll(keepingCapacity: true)
  }

  private mutating func store(_ value: String, at index: Int) {
    if index == arguments.count {
      arguments.append(value)
    } else if index < arguments.count {
      arguments[index] = value
    } else {
      // A gap (a hostile or damaged record): keep positions, fill the holes with empty strings.
      arguments.append(contentsOf: repeatElement("", count: index - arguments.count))
      arguments.append(value)
    }
  }

  private mutating func report(_ code: ProblemCode, _ message: String) {
    if problems.count < 8 { problems.append((code, message)) }
  }

  private func decimalDigit(_ byte: UInt8) -> UInt8? {
    let digit = byte &- UInt8(ascii: "0")
    return digit < 10 ? digit : nil
  }
}

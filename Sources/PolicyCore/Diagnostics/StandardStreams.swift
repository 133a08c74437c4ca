#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Unbuffered writes to the standard streams for the command-line tools.
///
/// Going through write(2) rather than `FILE *` avoids touching C's global `stdout`/`stderr`,
/// which Swift 6 treats as shared mutable state.
package enum StandardStreams {
  /// Writes all bytes to standard output.
  package static func writeOutput(_ bytes: [UInt8]) { writeAll(STDOUT_FILENO, bytes) }

  /// Writes text to standard output.
  package static func writeOutput(_ text: String) { writeAll(STDOUT_FILENO, Array(text.utf8)) }

  /// Writes text to standard error, adding a final newline when missing.
  package static func writeError(_ text: String) {
    var bytes = Array(text.utf8)
    if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
    writeAll(STDERR_FILENO, bytes)
  }

  private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

extension SourceFile {
  /// Reads a file, refusing files larger than `limits.maxInputBytes` before reading them.
  ///
  /// `-` reads standard input (also bounded by the limit).
  /// - Throws: `io_error` naming the path and the system's reason, or `limit_input_size`.
  public static func read(path: String, limits: Limits = .default) throws(Diagnostic) -> SourceFile {
    let name = path == "-" ? "<stdin>" : path
    let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
      throw Diagnostic(.ioError, "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { if path != "-" { close(descriptor) } }
    var status = stat()
    if fstat(descriptor, &status) == 0 {
      if (status.st_mode & S_IFMT) == S_IFDIR {
        throw Diagnostic(.ioError, "cannot read \(path): it is a directory")
      }
      if (status.st_mode & S_IFMT) == S_IFREG {
        try limits.checkInputSize(Int(status.st_size), name: name)
      }
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if got < 0 {
        if errno == EINTR { continue }
        throw Diagnostic(.ioError, "cannot read \(path): \(String(cString: strerror(errno)))")
      }
      if got == 0 { break }
      bytes.append(contentsOf: chunk[0..<got])
      // Pipes and other unsized inputs are bounded as they stream in.
      try limits.checkInputSize(bytes.count, name: name)
    }
    return SourceFile(name: name, bytes: bytes)
  }
}

import Glibc
import XCTest

/// Runs test code in forked child processes and always reaps them.
///
/// Forking the multi-threaded test runner is only safe if the child does little: it runs `body`
/// and then `_exit`s, never returning into XCTest. Bodies should stick to system calls and
/// library calls on values prepared by the parent (glibc makes `malloc` usable after `fork`, which
/// libseccomp and libcap need), and report results through their exit code or the pipe.
enum ChildProcess {
  /// How a child ended.
  enum Outcome: Equatable {
    /// The child called `_exit` with this code.
    case exited(Int32)
    /// The child was killed by this signal.
    case signaled(Int32)
    /// The child outlived the timeout and was killed with `SIGKILL` (and reaped).
    case timedOut
    /// `fork` or `pipe` failed with this errno.
    case failedToStart(Int32)
  }

  /// Forks, runs `body` in the child with the write end of a pipe, and returns how the child
  /// ended with everything it wrote; the child is reaped before this returns.
  static func run(
    timeout: Duration = .seconds(10), _ body: (_ outputDescriptor: Int32) -> Int32
  ) -> (outcome: Outcome, output: [UInt8]) {
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else { return (.failedToStart(errno), []) }
    let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
    let pid = fork()
    if pid == 0 {
      close(readEnd)
      let code = body(writeEnd)
      _exit(code)
    }
    close(writeEnd)
    defer { close(readEnd) }
    guard pid > 0 else { return (.failedToStart(errno), []) }

    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    // Read until the child closes the pipe (by exiting) or time runs out.
    while clock.now < deadline {
      var request = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&request, 1, 50)
      if ready < 0 && errno != EINTR { break }
      if ready <= 0 { continue }
      let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
      if count > 0 {
        output.append(contentsOf: chunk[0..<count])
      } else if count == 0 || errno != EINTR {
        break
      }
    }
    return (reap(pid, deadline: deadline), output)
  }

  /// Waits for `pid` until `deadline`, then kills it; always reaps it before returning.
  static func reap(_ pid: pid_t, deadline: ContinuousClock.Instant) -> Outcome {
    var status: Int32 = 0
    while ContinuousClock.now < deadline {
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid { return decode(status) }
      if result < 0 && errno != EINTR { return .failedToStart(errno) }
      usleep(10_000)
    }
    kill(pid, SIGKILL)
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return .timedOut
  }

  /// Decodes a `waitpid` status (the WIFEXITED/WEXITSTATUS macros are not importable).
  static func decode(_ status: Int32) -> Outcome {
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
  }

  /// Starts `path` with `posix_spawn`, passing `arguments` (the first is conventionally the name).
  static func spawn(_ path: String, arguments: [String]) -> Result<pid_t, CodeError> {
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, path, nil, nil, argv, environ)
    return result == 0 ? .success(pid) : .failure(CodeError(code: result))
  }

  /// An errno value as an `Error`.
  struct CodeError: Error {
    /// The errno value.
    let code: Int32
  }
}

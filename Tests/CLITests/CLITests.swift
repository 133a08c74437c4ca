import Foundation
import PolicyCore
import Testing

/// Runs a built command-line tool and captures its output and exit status.
struct CommandRun {
  var status: Int32
  var stdout: String
  var stderr: String
  /// True when the process exited normally (not killed by a signal such as a crash).
  var exitedNormally: Bool
}

enum CLI {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  /// The built executable: next to the test bundle, or in the package's default build folder.
  static func executable(_ name: String) throws -> String {
    var candidates: [String] = []
    if let first = CommandLine.arguments.first {
      var directory = URL(fileURLWithPath: first).deletingLastPathComponent()
      // The XCTest bundle on Linux is an executable inside the build folder (or a .xctest dir).
      if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
      candidates.append(directory.appendingPathComponent(name).path)
    }
    candidates.append("\(packageRoot)/.build/debug/\(name)")
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
      throw CLIError.notBuilt(name, candidates)
    }
    return found
  }

  static func run(_ name: String, _ arguments: [String], stdin: Data? = nil) throws -> CommandRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try executable(name))
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes to the end before waiting so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandRun(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      exitedNormally: process.terminationReason == .exit)
  }

  static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "rampart-cli-\(getpid())-\(name)"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }
}

enum CLIError: Error, CustomStringConvertible {
  case notBuilt(String, [String])
  var description: String {
    switch self {
    case .notBuilt(let name, let paths): return "\(name) is not built (looked in \(paths))"
    }
  }
}

@Suite("policy json")
struct PolicyJSONTests {
  @Test("prints the shipped AdmissionReview in canonical form")
  func canonical() throws {
    let run = try CLI.run("policy", ["json", "examples/arctiq/exec-into-orders.json"])
    #expect(run.status == 0, "\(run.stderr)")
    let original = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: CLI.packageRoot + "/examples/arctiq/exec-into-orders.json"))))
    #expect(try JSON.parse(run.stdout) == original)
    #expect(run.stdout.hasPrefix("{\n  \"apiVersion\": \"admission.k8s.io/v1\",\n  \"kind\": \"AdmissionReview\""))
  }

  @Test("compact output and standard input")
  func compactStdin() throws {
    let run = try CLI.run("policy", ["json", "--compact", "-"], stdin: Data(#"{"b": [1.50, 2], "a": "\u00e9"}"#.utf8))
    #expect(run.status == 0)
    #expect(run.stdout == "{\"a\":\"é\",\"b\":[1.50,2]}\n")
  }

  @Test("malformed JSON: file:line:col, the source line, a caret, exit 1")
  func malformed() throws {
    let path = try CLI.temporaryFile("bad.json", Array("{\n  \"kind\" \"Pod\"\n}\n".utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try CLI.run("policy", ["json", path])
    #expect(run.status == 1)
    #expect(run.exitedNormally)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr == "\(path):2:10: json_parse_error: unexpected '\"': expected ':' after object key\n  \"kind\" \"Pod\"\n         ^\n")
  }

  @Test("100 MB of '[': a limit error and exit 1, never a crash or a hang")
  func hostileBrackets() throws {
    let path = try CLI.temporaryFile("brackets.json", [UInt8](repeating: UInt8(ascii: "["), count: 100 << 20))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sized = try CLI.run("policy", ["json", path])
    #expect(sized.exitedNormally && sized.status == 1)
    #expect(sized.stderr.hasPrefix("limit_input_size: \(path) is 104857600 bytes"))
    let deep = try CLI.run("policy", ["json", "--max-input-bytes", "200000000", path])
    #expect(deep.exitedNormally && deep.status == 1)
    #expect(deep.stderr.hasPrefix("\(path):1:513: limit_nesting_depth:"))
    #expect(deep.stderr.utf8.count < 1000, "the excerpt of a 100 MB line is cut")
  }

  @Test("a missing file is an io_error")
  func missingFile() throws {
    let run = try CLI.run("policy", ["json", "/nonexistent/input.json"])
    #expect(run.status == 1)
    #expect(run.stderr == "io_error: cannot open /nonexistent/input.json: No such file or directory\n")
  }

  @Test("truncated, bad escapes, lone surrogates and leading zeros all fail cleanly")
  func badInputs() throws {
    let inputs = [#"{"a": [1, 2"#, #""\x""#, #""\ud800""#, "[01]", #"{"a":1,}"#]
    for input in inputs {
      let run = try CLI.run("policy", ["json", "-"], stdin: Data(input.utf8))
      #expect(run.exitedNormally && run.status == 1, "\(input)")
      #expect(run.stderr.hasPrefix("<stdin>:1:"), "\(input): \(run.stderr)")
    }
  }
}

@Suite("falcon")
struct FalconCLITests {
  @Test("syscall lookups across architectures")
  func syscalls() throws {
    let run = try CLI.run("falcon", ["syscalls", "--arch", "x86_64", "execve", "openat"])
    #expect(run.status == 0)
    #expect(run.stdout == "59\texecve\n257\topenat\n")
    let arm = try CLI.run("falcon", ["syscalls", "--arch", "aarch64", "execve"])
    #expect(arm.stdout == "221\texecve\n")
    let bad = try CLI.run("falcon", ["syscalls", "--arch", "vax"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("unknown architecture 'vax'"))
  }

  @Test("capability sets print in Falco's format")
  func caps() throws {
    let run = try CLI.run("falcon", ["caps"])
    #expect(run.status == 0)
    #expect(run.stdout.hasPrefix("thread.cap_effective="))
    let missing = try CLI.run("falcon", ["caps", "--pid", "999999999"])
    #expect(missing.status == 1)
  }
}

@Suite("conformance tool")
struct ConformanceToolTests {
  @Test("ends its output with 'N passed, M failed'")
  func closingLine() throws {
    let run = try CLI.run("conformance", ["json-documents"])
    let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(last.range(of: #"^\d+ passed, \d+ failed$"#, options: .regularExpression) != nil, "\(run.stdout)")
    let unknown = try CLI.run("conformance", ["nope"])
    #expect(unknown.status != 0)
  }
}

import ArgumentParser
import PolicyCore

/// `policy json`: parse JSON documents and print them in canonical form.
struct JSONCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "json",
    abstract: "Validate JSON documents and print them in canonical form (sorted keys, exact numbers).",
    discussion: """
      Errors are printed as file:line:col with the source line and a caret, and the exit code is 1.
      Use '-' to read standard input.
      """)

  @Argument(help: "JSON files to read ('-' for standard input).")
  var files: [String]

  @Flag(help: "Print compact JSON on one line instead of indented.")
  var compact = false

  @Flag(help: "Only check that the documents parse; print nothing on success.")
  var check = false

  @Flag(help: "Read each file as JSON Lines (one document per line).")
  var lines = false

  @OptionGroup var limitOptions: LimitOptions

  func run() throws {
    let limits = limitOptions.limits
    let printer = JSONPrinter(options: compact ? .compact : .pretty)
    var failed = false
    for path in files {
      do throws(Diagnostic) {
        let file = try SourceFile.read(path: path, limits: limits)
        let documents = lines ? try JSON.parseLines(file.bytes, name: file.name, limits: limits) : [try JSON.parse(file, limits: limits)]
        if check { continue }
        for document in documents {
          var out = printer.bytes(document)
          out.append(UInt8(ascii: "\n"))
          StandardStreams.writeOutput(out)
        }
      } catch {
        _ = fail(error)
        failed = true
      }
    }
    if failed { throw ExitCode(1) }
  }
}

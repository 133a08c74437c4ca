import ArgumentParser
import PolicyCore

/// Prints a diagnostic the way compilers do and returns the exit code for failures.
func fail(_ diagnostic: Diagnostic) -> ExitCode {
  StandardStreams.writeError(diagnostic.rendered())
  return ExitCode(1)
}

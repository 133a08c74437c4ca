import Testing

@testable import FalconEvents

/// The packed key codes the decoder matches fields with.
@Suite struct AuditKeyTests {
  @Test func everyConstantMatchesItsSpelling() {
    for (spelling, code) in AuditKey.all {
      #expect(AuditKey.code(spelling) == code, "\(spelling)")
    }
    #expect(Set(AuditKey.all.map(\.1)).count == AuditKey.all.count)
  }

  @Test func codesOfFieldsInARecord() {
    let text = Array("pid=1 nametype=NORMAL proctitle=2F =x".utf8)
    text.withUnsafeBufferPointer { bytes in
      var scanner = AuditFieldScanner(bytes, range: 0..<bytes.count)
      var codes: [UInt64] = []
      while let field = scanner.next() { codes.append(AuditKey.code(bytes, field)) }
      // Keys longer than eight bytes have no code; an empty key is skipped by the scanner.
      #expect(codes == [AuditKey.pid, AuditKey.nametype, 0])
    }
  }
}

import CHiredis
import CLibXML2
import Testing

/// The WAF's two Debian C libraries resolve through pkg-config and link: libxml2 (XML bodies) and
/// hiredis (shared rate limits). A missing -dev package fails here with a link error, not later.
@Suite struct SystemLibraryTests {
  @Test func libxml2ParsesADocument() {
    xmlCheckVersion(20900)  // aborts the process if the headers and the library disagree
    let text = Array("<a><b>x</b></a>".utf8)
    let document = text.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "t.xml", nil, 0) }
    }
    #expect(document != nil)
    if let document {
      #expect(xmlDocGetRootElement(document) != nil)
      xmlFreeDoc(document)
    }
  }

  @Test func hiredisReaderParsesAReply() {
    guard let reader = redisReaderCreate() else {
      Issue.record("redisReaderCreate returned nil")
      return
    }
    defer { redisReaderFree(reader) }
    let reply = Array("+PONG\r\n".utf8)
    reply.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        _ = redisReaderFeed(reader, chars.baseAddress, chars.count)
      }
    }
    var out: UnsafeMutableRawPointer?
    #expect(redisReaderGetReply(reader, &out) == REDIS_OK)
    if let out { freeReplyObject(out) }
    #expect(out != nil)
  }
}

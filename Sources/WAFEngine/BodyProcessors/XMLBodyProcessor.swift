internal import CLibXML2
internal import Synchronization

/// The XML request body processor (`ctl:requestBodyProcessor=XML`).
///
/// As libmodsecurity 3.0.9 does, the body goes to libxml2's push parser in one piece (document
/// URL `body.xml`), the tree is kept even when the body is not well formed, and a body that is
/// not well formed (an empty one included) reports `"XML parsing error: XML: Failed parsing
/// document."`. 3.0.9 adds no `ARGS` from XML (`SecParseXmlIntoArgs` came later), so neither
/// does this processor: rules reach the document through `XML:/xpath` targets, which call
/// ``XMLBodyDocument/values(xpath:namespaces:)``.
///
/// Safety: external entities and DTDs are never loaded (libxml2's external entity loader is
/// replaced by one that refuses everything, and `XML_PARSE_NONET` is set); entities are not
/// substituted (no `XML_PARSE_NOENT`), and libxml2's own amplification limits stay on (no
/// `XML_PARSE_HUGE`).
///
///     let result = XMLBodyProcessor().parse(Array("<a x='1'>hi</a>".utf8))
///     result.xml?.values(xpath: "/*")      // [Array("hi".utf8)]
///     result.xml?.values(xpath: "//@*")    // [Array("1".utf8)]
public struct XMLBodyProcessor: Sendable {
  /// The processor has no settings: libmodsecurity 3.0.9 has none that change XML parsing
  /// (`SecXmlExternalEntity On` is deliberately not supported).
  public init() {}

  /// Parses one XML body.
  ///
  /// - Returns: `xml` holds the document libxml2 built (possibly partial), `error` is set when the
  ///   body was not well formed. `arguments` stays empty.
  public func parse(_ body: [UInt8]) -> BodyParseResult {
    XMLLibrary.prepare()
    var result = BodyParseResult()
    guard body.count < Int(Int32.max) else {
      result.error = "XML parsing error: XML: Failed to create parsing context."
      return result
    }
    let context: xmlParserCtxtPtr? = body.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        xmlCreatePushParserCtxt(nil, nil, chars.baseAddress, Int32(chars.count), "body.xml")
      }
    }
    guard let context else {
      result.error = "XML parsing error: XML: Failed to create parsing context."
      return result
    }
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    _ = xmlCtxtUseOptions(context, options)
    let status = xmlParseChunk(context, nil, 0, 1)
    let wellFormed = context.pointee.wellFormed
    let document = context.pointee.myDoc
    context.pointee.myDoc = nil
    xmlFreeParserCtxt(context)
    if let document {
      result.xml = XMLBodyDocument(owning: document)
    }
    // libxml2 can stop on an encoding error (a body it takes for UCS-4, say) with wellFormed
    // still set and no document: that is a failed parse too.
    if wellFormed != 1 || status != 0 || result.xml == nil {
      result.error = "XML parsing error: XML: Failed parsing document."
    }
    return result
  }
}

/// A parsed XML body, freed with the last reference. XPath evaluation is serialised by a lock,
/// so one document can be shared between threads even though libxml2 documents are not
/// thread-safe.
public final class XMLBodyDocument: @unchecked Sendable {
  private let document: xmlDocPtr
  private let lock = Mutex(())

  init(owning document: xmlDocPtr) {
    self.document = document
  }

  deinit {
    xmlFreeDoc(document)
  }

  /// The values of an `XML:/xpath` target, as libmodsecurity 3.0.9's `XML` variable returns them:
  /// `xmlNodeGetContent` of every node in the resulting node set (the text content of elements
  /// and the document, the value of attributes), in document order.
  ///
  /// - Parameters:
  ///   - xpath: the expression after `XML:` (`/*`, `//@*`, `/soap:Envelope/soap:Body`).
  ///   - namespaces: prefixes declared with the rule's `xmlns:` actions.
  /// - Returns: an empty list when the expression does not compile or does not yield nodes.
  public func values(xpath: String, namespaces: [(prefix: String, uri: String)] = []) -> [[UInt8]] {
    lock.withLock { _ in
      guard let context = xmlXPathNewContext(document) else { return [] }
      defer { xmlXPathFreeContext(context) }
      context.pointee.error = XMLLibrary.silentStructuredError
      for (prefix, uri) in namespaces {
        _ = xmlXPathRegisterNs(context, prefix, uri)
      }
      guard let object = xmlXPathEvalExpression(xpath, context) else { return [] }
      defer { xmlXPathFreeObject(object) }
      guard let nodes = object.pointee.nodesetval, let table = nodes.pointee.nodeTab else { return [] }
      var values: [[UInt8]] = []
      let count = Int(nodes.pointee.nodeNr)
      values.reserveCapacity(count)
      guard let buffer = xmlBufferCreate() else { return [] }
      defer { xmlBufferFree(buffer) }
      for index in 0..<count {
        guard let node = table[index], XMLLibrary.hasContent(node) else { continue }
        xmlBufferEmpty(buffer)
        guard xmlNodeBufGetContent(buffer, node) == 0, let content = xmlBufferContent(buffer) else { continue }
        // libmodsecurity copies a C string: the content up to its first NUL.
        values.append(Array(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))))
      }
      return values
    }
  }
}

/// Process-wide libxml2 setup, done once.
private enum XMLLibrary {
  /// Initialises the library and installs the refusing external entity loader.
  static func prepare() {
    _ = once
  }

  private static let once: Bool = {
    xmlInitParser()
    xmlSetExternalEntityLoader(refuseExternalEntity)
    return true
  }()

  /// Whether `xmlNodeGetContent` (which libmodsecurity calls) returns a value for this node: it
  /// returns NULL for DTD and declaration nodes, which libmodsecurity then skips. (The content is
  /// read with `xmlNodeBufGetContent` into a reusable buffer, which needs no `xmlFree`.)
  static func hasContent(_ node: xmlNodePtr) -> Bool {
    switch node.pointee.type {
    case XML_DOCUMENT_TYPE_NODE, XML_DTD_NODE, XML_NOTATION_NODE, XML_ELEMENT_DECL, XML_ATTRIBUTE_DECL,
      XML_XINCLUDE_START, XML_XINCLUDE_END:
      return false
    default:
      return true
    }
  }

  static let silentStructuredError: xmlStructuredErrorFunc = { _, _ in }
}

/// The external entity loader: nothing outside the body is ever read.
private func refuseExternalEntity(
  _ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
  nil
}

internal import PolicyCore

// The `io.jwt` family. OPA reference: topdown/tokens.go. Tokens are JWS compact serialisations
// (`header.payload.signature`, base64url without padding); JWE is rejected. Keys for the verify
// builtins are PEM certificates, PEM public keys, or JWK / JWK set JSON (JWTKeys.swift).

extension BuiltinRegistry {
  /// Adds the jwt family. Keep entries sorted.
  mutating func registerJWT() {
    /// `io.jwt.decode(jwt)`: `[header, payload, signature]` without verification; the signature
    /// is returned as hex. A `cty: "JWT"` header makes it decode the nested token instead.
    ///
    ///     io.jwt.decode("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwIn0.XmVo...")
    add("io.jwt.decode", arity: 1, category: "jwt") { arguments, _ throws(BuiltinError) in
      try run { () throws(JWTFailure) in try decodeToken(arguments[0]) }
    }
    /// `io.jwt.decode_verify(jwt, constraints)`: `[valid, header, payload]` after checking the
    /// signature and the `alg`, `iss`, `aud`, `exp` and `nbf` constraints; `[false, {}, {}]`
    /// when any check fails.
    ///
    /// Constraints: exactly one of `cert` (PEM or JWK/JWKS text) and `secret` (HMAC key), and
    /// optionally `alg`, `iss`, `aud` and `time` (nanoseconds; default: the evaluation time).
    add("io.jwt.decode_verify", arity: 2, category: "jwt") { arguments, context throws(BuiltinError) in
      let constraints = try arguments.object(1)
      return try run { () throws(JWTFailure) in try decodeVerify(arguments[0], constraints, now: context.now) }
    }
    /// `io.jwt.encode_sign(headers, payload, key)`: signs objects (serialised as sorted compact
    /// JSON) with a JWK; the algorithm comes from the `alg` header.
    add("io.jwt.encode_sign", arity: 3, category: "jwt") { arguments, _ throws(BuiltinError) in
      try run { () throws(JWTFailure) in
        let headers = try marshal(arguments[0], "headers")
        let payload = try marshal(arguments[1], "payload")
        let key = try marshal(arguments[2], "signature")
        return .string(try encodeSign(headers: headers, payload: payload, jwk: key))
      }
    }
    /// `io.jwt.encode_sign_raw(headers, payload, key)`: like `io.jwt.encode_sign` with the three
    /// operands as JSON text, used verbatim.
    add("io.jwt.encode_sign_raw", arity: 3, category: "jwt") { arguments, _ throws(BuiltinError) in
      let key = try arguments.string(2)
      let headers = try arguments.string(0)
      let payload = try arguments.string(1)
      return try run { () throws(JWTFailure) in
        .string(try encodeSign(headers: Array(headers.utf8), payload: Array(payload.utf8), jwk: Array(key.utf8)))
      }
    }
    /// `io.jwt.verify_eddsa(jwt, key)`: Ed25519 signature check (PEM public key or certificate, JWK).
    add("io.jwt.verify_eddsa", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyBuiltin(arguments) { key, message, signature in
        JWTSignatures.verifyEdDSA(key, message, signature)
      }
    }
    /// `io.jwt.verify_es256(jwt, key)`: ECDSA signature check (P-256,
    /// P-384 or P-521 key; PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_es256", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyECDSABuiltin(arguments, .sha256)
    }
    /// `io.jwt.verify_es384(jwt, key)`: ECDSA signature check (P-256,
    /// P-384 or P-521 key; PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_es384", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyECDSABuiltin(arguments, .sha384)
    }
    /// `io.jwt.verify_es512(jwt, key)`: ECDSA signature check (P-256,
    /// P-384 or P-521 key; PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_es512", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyECDSABuiltin(arguments, .sha512)
    }
    /// `io.jwt.verify_hs256(jwt, key)`: HMAC signature check with a plain-text secret.
    add("io.jwt.verify_hs256", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyHMACBuiltin(arguments, .sha256)
    }
    /// `io.jwt.verify_hs384(jwt, key)`: HMAC signature check with a plain-text secret.
    add("io.jwt.verify_hs384", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyHMACBuiltin(arguments, .sha384)
    }
    /// `io.jwt.verify_hs512(jwt, key)`: HMAC signature check with a plain-text secret.
    add("io.jwt.verify_hs512", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyHMACBuiltin(arguments, .sha512)
    }
    /// `io.jwt.verify_ps256(jwt, key)`: RSASSA-PSS signature check, any
    /// salt length (PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_ps256", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyPSSBuiltin(arguments, .sha256)
    }
    /// `io.jwt.verify_ps384(jwt, key)`: RSASSA-PSS signature check, any
    /// salt length (PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_ps384", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyPSSBuiltin(arguments, .sha384)
    }
    /// `io.jwt.verify_ps512(jwt, key)`: RSASSA-PSS signature check, any
    /// salt length (PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_ps512", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyPSSBuiltin(arguments, .sha512)
    }
    /// `io.jwt.verify_rs256(jwt, key)`: RSASSA-PKCS1-v1_5 signature check
    /// (PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_rs256", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyPKCS1Builtin(arguments, .sha256)
    }
    /// `io.jwt.verify_rs384(jwt, key)`: RSASSA-PKCS1-v1_5 signature check
    /// (PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_rs384", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyPKCS1Builtin(arguments, .sha384)
    }
    /// `io.jwt.verify_rs512(jwt, key)`: RSASSA-PKCS1-v1_5 signature check
    /// (PEM certificate, PEM public key, JWK or JWK set).
    add("io.jwt.verify_rs512", arity: 2, category: "jwt") { arguments, _ throws(BuiltinError) in
      try verifyPKCS1Builtin(arguments, .sha512)
    }
  }
}

/// Runs a JWT helper, turning its failures into builtin errors.
private func run(_ body: () throws(JWTFailure) -> Value) throws(BuiltinError) -> Value {
  do throws(JWTFailure) {
    return try body()
  } catch {
    throw .failure(error.message)
  }
}

// MARK: - Token structure

private struct TokenParts {
  var header: String
  var payload: String
  var signature: String
}

/// OPA's `decodeJWT`: three dot-separated sections.
private func splitToken(_ text: String) throws(JWTFailure) -> TokenParts {
  guard text.contains(".") else { throw JWTFailure("encoded JWT had no period separators") }
  let parts = text.split(separator: ".", omittingEmptySubsequences: false)
  guard parts.count == 3 else { throw JWTFailure("encoded JWT must have 3 sections, found \(parts.count)") }
  return TokenParts(header: String(parts[0]), payload: String(parts[1]), signature: String(parts[2]))
}

/// The token operand: a string (type errors name operand 1).
private func tokenParts(_ operand: Value) throws(BuiltinError) -> TokenParts {
  guard case .string(let text) = operand else { throw .operand(0, mustBe: "string", got: operand) }
  do throws(JWTFailure) {
    return try splitToken(text)
  } catch {
    throw .failure(error.message)
  }
}

/// OPA's `extractJSONObject`.
private func jsonObject(_ bytes: [UInt8]) throws(JWTFailure) -> ValueObject {
  let value: Value
  do throws(Diagnostic) {
    value = try JSON.parse(bytes)
  } catch {
    throw JWTFailure("invalid JSON: " + error.message)
  }
  guard case .object(let object) = value else { throw JWTFailure("decoded JSON type was not an Object") }
  return object
}

/// Decodes and validates the header (OPA's `decodeHeader`): JSON object, not a JWE.
private func decodeHeader(_ parts: TokenParts) throws(JWTFailure) -> ValueObject {
  let bytes: [UInt8]
  do throws(JWTFailure) {
    bytes = try JWTBase64.decodeURL(parts.header)
  } catch {
    throw JWTFailure("JWT header had invalid encoding: " + error.message)
  }
  let header: ValueObject
  do throws(JWTFailure) {
    header = try jsonObject(bytes)
  } catch {
    throw JWTFailure("bad JWT header: " + error.message)
  }
  if header["enc"] != nil { throw JWTFailure("JWT is a JWE object, which is not supported") }
  return header
}

private func hex(_ bytes: [UInt8]) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  for byte in bytes {
    out.append(digits[Int(byte >> 4)])
    out.append(digits[Int(byte & 0x0f)])
  }
  return String(decoding: out, as: UTF8.self)
}

/// `io.jwt.decode`.
private func decodeToken(_ operand: Value) throws(JWTFailure) -> Value {
  guard case .string(let text) = operand else {
    // Only reachable for nested tokens, which are strings; keep OPA's operand wording.
    throw JWTFailure("operand 1 must be string but got \(operand.typeName)")
  }
  let parts = try splitToken(text)
  let header = try decodeHeader(parts)
  var payload: [UInt8]
  do throws(JWTFailure) {
    payload = try JWTBase64.decodeURL(parts.payload)
  } catch {
    throw JWTFailure("JWT payload had invalid encoding: " + error.message)
  }
  if case .string(let contentType) = header["cty"] ?? .undefined, contentType == "JWT" {
    // A nested token; jwt.io-style encoders quote it, so trim quotes first.
    let quotes: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "'")]
    while let first = payload.first, quotes.contains(first) { payload.removeFirst() }
    while let last = payload.last, quotes.contains(last) { payload.removeLast() }
    return try decodeToken(.string(String(decoding: payload, as: UTF8.self)))
  }
  let claims = try jsonObject(payload)
  let signature: [UInt8]
  do throws(JWTFailure) {
    signature = try JWTBase64.decodeURL(parts.signature)
  } catch {
    throw JWTFailure("JWT signature had invalid encoding: " + error.message)
  }
  return .array([.object(header), .object(claims), .string(hex(signature))])
}

// MARK: - Verification builtins

private func verifyECDSABuiltin(_ arguments: BuiltinArguments, _ hash: JWTHash) throws(BuiltinError) -> Value {
  try verifyBuiltin(arguments) { key, message, signature in
    JWTSignatures.verifyECDSA(key, message, signature, hash: hash, exactLength: false)
  }
}

private func verifyPSSBuiltin(_ arguments: BuiltinArguments, _ hash: JWTHash) throws(BuiltinError) -> Value {
  try verifyBuiltin(arguments) { key, message, signature in
    JWTSignatures.verifyRSA(key, message, signature, hash: hash, pss: true)
  }
}

private func verifyPKCS1Builtin(_ arguments: BuiltinArguments, _ hash: JWTHash) throws(BuiltinError) -> Value {
  try verifyBuiltin(arguments) { key, message, signature in
    JWTSignatures.verifyRSA(key, message, signature, hash: hash, pss: false)
  }
}

/// OPA's `builtinJWTVerifyHS`: the secret is the operand's UTF-8 bytes; the header is not read.
private func verifyHMACBuiltin(_ arguments: BuiltinArguments, _ hash: JWTHash) throws(BuiltinError) -> Value {
  let token = try arguments.string(0)
  let secret = try arguments.string(1)
  return try run { () throws(JWTFailure) in
    let parts = try splitToken(token)
    let signature = try JWTBase64.decodeURL(parts.signature)
    let message = Array((parts.header + "." + parts.payload).utf8)
    return .bool(JWTSignatures.verifyHMAC(Array(secret.utf8), message, signature, hash: hash))
  }
}

/// OPA's `builtinJWTVerify`: the key-based `io.jwt.verify_*` builtins.
///
/// A private JWK never verifies here: OPA type-asserts the exported key to a public key type.
private func verifyBuiltin(
  _ arguments: BuiltinArguments, _ check: (JWTKey, [UInt8], [UInt8]) -> Bool
) throws(BuiltinError) -> Value {
  let parts = try tokenParts(arguments[0])
  let certificate = try arguments.string(1)
  func verify(_ key: JWTKey, _ message: [UInt8], _ signature: [UInt8]) -> Bool {
    !key.isPrivate && check(key, message, signature)
  }
  return try run { () throws(JWTFailure) in
    let keys = try JWTKeys.verificationKeys(certificate)
    let signature = try JWTBase64.decodeURL(parts.signature)
    let header = try TokenHeader(try decodeHeader(parts))
    let message = Array((parts.header + "." + parts.payload).utf8)
    // A key whose kid matches the header's decides alone.
    if !header.keyID.isEmpty, let key = keys.first(where: { $0.keyID == header.keyID }) {
      return .bool(verify(key.key, message, signature))
    }
    for key in keys where key.algorithm.isEmpty || key.algorithm == header.algorithm {
      if verify(key.key, message, signature) { return .bool(true) }
    }
    return .bool(false)
  }
}

/// The JOSE header members OPA interprets (`parseTokenHeader`).
private struct TokenHeader {
  var algorithm = ""
  var keyID = ""
  var type = ""
  var contentType = ""
  var critical: Set<String>?
  var unknown: [String] = []

  init(_ header: ValueObject) throws(JWTFailure) {
    func string(_ name: String, _ value: Value) throws(JWTFailure) -> String {
      guard case .string(let text) = value else { throw JWTFailure("\(name): must be a string") }
      return text
    }
    for entry in header {
      guard case .string(let name) = entry.key else { continue }
      switch name {
      case "alg": algorithm = try string(name, entry.value)
      case "kid": keyID = try string(name, entry.value)
      case "typ": type = try string(name, entry.value)
      case "cty": contentType = try string(name, entry.value)
      case "crit":
        guard case .array(let items) = entry.value else { throw JWTFailure("crit: must be a list") }
        // OPA ignores non-string entries here (its iteration error is discarded).
        var names: Set<String> = []
        for item in items {
          guard case .string(let text) = item else { break }
          names.insert(text)
        }
        if names.isEmpty { throw JWTFailure("crit: must be a nonempty list") }
        critical = names
      default:
        unknown.append(name)
      }
    }
  }

  /// RFC 7515: `alg` is required, and every critical parameter must be understood.
  var isValid: Bool {
    if algorithm.isEmpty { return false }
    if let critical, unknown.contains(where: { critical.contains($0) }) { return false }
    return true
  }
}

// MARK: - decode_verify

private struct TokenConstraints {
  var secret = ""
  var algorithm = ""
  var issuer = ""
  var audience = ""
  var keys: [JWTVerificationKey]?
  var time: Double = -1
}

private func constraintTime(_ value: Value) throws(JWTFailure) -> Double {
  guard case .number(let number) = value else { throw JWTFailure("token time constraint: must be a number") }
  let time = number.doubleValue
  guard time.isFinite else { throw JWTFailure("token time constraint: unvalid float64") }
  if time < 0 { throw JWTFailure("token time constraint: must not be negative") }
  return time
}

/// OPA's `parseTokenConstraints` and `validate`.
private func parseConstraints(_ object: ValueObject, now: Int64) throws(JWTFailure) -> TokenConstraints {
  var constraints = TokenConstraints()
  func string(_ name: String, _ value: Value) throws(JWTFailure) -> String {
    guard case .string(let text) = value else { throw JWTFailure("\(name) constraint: must be a string") }
    return text
  }
  for entry in object {
    let name: String
    if case .string(let text) = entry.key { name = text } else { name = entry.key.json }
    switch name {
    case "cert": constraints.keys = try JWTKeys.verificationKeys(try string("cert", entry.value))
    case "secret": constraints.secret = try string(name, entry.value)
    case "alg": constraints.algorithm = try string(name, entry.value)
    case "iss": constraints.issuer = try string(name, entry.value)
    case "aud": constraints.audience = try string(name, entry.value)
    case "time": constraints.time = try constraintTime(entry.value)
    default: throw JWTFailure("unknown token validation constraint: \(name)")
    }
  }
  if constraints.time == -1 { constraints.time = try constraintTime(.int(Int(now))) }
  let keyConstraints = (constraints.keys != nil ? 1 : 0) + (constraints.secret.isEmpty ? 0 : 1)
  if keyConstraints > 1 { throw JWTFailure("duplicate key constraints") }
  if keyConstraints < 1 { throw JWTFailure("no key constraint") }
  return constraints
}

/// OPA's `tokenConstraints.verify`: whether the signature verifies with the trusted key(s).
private func verifySignature(
  _ constraints: TokenConstraints, header: TokenHeader, message: [UInt8], signature: [UInt8]
) -> Bool {
  if let keys = constraints.keys {
    if !header.keyID.isEmpty, let key = keys.first(where: { $0.keyID == header.keyID }) {
      return JWTSignatures.verify(key.key, algorithm: header.algorithm, message, signature)
    }
    for key in keys where key.algorithm.isEmpty || key.algorithm == header.algorithm {
      if JWTSignatures.verify(key.key, algorithm: header.algorithm, message, signature) { return true }
    }
    return false
  }
  return JWTSignatures.verify(.secret(Array(constraints.secret.utf8)), algorithm: header.algorithm, message, signature)
}

/// `io.jwt.decode_verify`.
private func decodeVerify(_ operand: Value, _ constraintObject: ValueObject, now: Int64) throws(JWTFailure) -> Value {
  let unverified: Value = .array([false, .object(ValueObject()), .object(ValueObject())])
  let constraints = try parseConstraints(constraintObject, now: now)
  var token = operand
  var header = ValueObject()
  var payload: [UInt8] = []
  while true {
    guard case .string(let text) = token else {
      throw JWTFailure("operand 1 must be string but got \(token.typeName)")
    }
    let parts = try splitToken(text)
    header = try decodeHeader(parts)
    let fields = try TokenHeader(header)
    if !fields.isValid { return unverified }
    if !constraints.algorithm.isEmpty && constraints.algorithm != fields.algorithm { return unverified }
    let signature = try JWTBase64.decodeURL(parts.signature)
    let message = Array((parts.header + "." + parts.payload).utf8)
    if !verifySignature(constraints, header: fields, message: message, signature: signature) { return unverified }
    do throws(JWTFailure) {
      payload = try JWTBase64.decodeURL(parts.payload)
    } catch {
      throw JWTFailure("JWT payload had invalid encoding: " + error.message)
    }
    if fields.contentType.lowercased() == "jwt" {
      // Nested token: verify the inner one with the same constraints.
      token = .string(String(decoding: payload, as: UTF8.self))
      continue
    }
    break
  }
  let claims = try jsonObject(payload)

  if !constraints.issuer.isEmpty {
    guard case .string(let issuer) = claims["iss"] ?? .undefined, issuer == constraints.issuer else {
      return unverified
    }
  }
  if let audience = claims["aud"] {
    let matches: Bool
    switch audience {
    case .string(let text): matches = text == constraints.audience
    case .array(let items): matches = items.contains { $0 == .string(constraints.audience) }
    default: matches = false
    }
    if !matches { return unverified }
  } else if !constraints.audience.isEmpty {
    return unverified
  }
  // The evaluation time in seconds, as the float64 OPA compares exactly with the claims.
  let seconds = Number(constraints.time / 1_000_000_000)
  if let expiry = claims["exp"] {
    guard case .number(let value) = expiry else { throw JWTFailure("exp value must be a number") }
    if !(seconds < value) { return unverified }
  }
  if let notBefore = claims["nbf"] {
    guard case .number(let value) = notBefore else { throw JWTFailure("nbf value must be a number") }
    if seconds < value { return unverified }
  }
  return .array([true, .object(header), .object(claims)])
}

// MARK: - Signing

/// Go's `json.Marshal` of a Rego value as `encode_sign` does it: sorted keys, sets as arrays,
/// HTML characters escaped.
private func marshal(_ value: Value, _ what: String) throws(JWTFailure) -> [UInt8] {
  func check(_ value: Value) throws(JWTFailure) {
    switch value {
    case .object(let object):
      for entry in object {
        guard case .string = entry.key else {
          throw JWTFailure("failed to prepare JWT \(what) for marshalling: object key must be string")
        }
        try check(entry.value)
      }
    case .array(let items):
      for item in items { try check(item) }
    case .set(let items):
      for item in items { try check(item) }
    default:
      break
    }
  }
  try check(value)
  return JSONPrinter(options: .init(escapeHTML: true)).bytes(value)
}

/// The message of a fastjson parse failure, as jwx reports a bad header.
private func headerParseError(_ headers: [UInt8]) -> String? {
  let trimmed = headers.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }
  if trimmed.isEmpty { return "cannot parse JSON: cannot parse empty string; unparsed tail: \"\"" }
  if (try? JSON.parse(Array(trimmed))) == nil {
    return "cannot parse JSON: invalid JSON; unparsed tail: \(goQuoted(Array(trimmed)))"
  }
  return nil
}

private func goQuoted(_ bytes: [UInt8]) -> String {
  var out = "\""
  for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}

/// OPA's `commonBuiltinJWTEncodeSign`.
private func encodeSign(headers: [UInt8], payload: [UInt8], jwk: [UInt8]) throws(JWTFailure) -> String {
  let keys = try JWTKeys.parseJWKs(String(decoding: jwk, as: UTF8.self))
  guard let key = keys.first else { throw JWTFailure("no keys found in JWK set") }
  var algorithm = ""
  var type = ""
  if let problem = headerParseError(headers) {
    throw JWTFailure("missing or invalid 'alg' header: " + problem)
  }
  if case .object(let object) = (try? JSON.parse(headers)) ?? .undefined {
    if case .string(let text) = object["alg"] ?? .undefined { algorithm = text }
    if case .string(let text) = object["typ"] ?? .undefined { type = text }
  }
  guard JWTKeys.algorithms.contains(algorithm) else { throw JWTFailure("unknown JWS algorithm: " + algorithm) }
  if type == "JWT" && (try? JSON.parse(payload)) == nil {
    throw JWTFailure("type is JWT but payload is not JSON")
  }
  let signingInput = JWTBase64.encodeURL(headers) + "." + JWTBase64.encodeURL(payload)
  let signature = try JWTSignatures.sign(key.key, algorithm: algorithm, Array(signingInput.utf8))
  return signingInput + "." + JWTBase64.encodeURL(signature)
}

internal import Crypto
internal import _CryptoExtras
internal import PolicyCore

// Keys for the `io.jwt` builtins: public keys from PEM certificates and PEM public keys (OPA's
// `getKeysFromCertOrJWK`), and public or private keys from JWKs and JWK sets (RFC 7517/7518).

/// A key usable for verifying or signing a JWS.
enum JWTKey {
  case rsaPublic(_RSA.Signing.PublicKey)
  case rsaPrivate(_RSA.Signing.PrivateKey)
  case p256Public(P256.Signing.PublicKey)
  case p256Private(P256.Signing.PrivateKey)
  case p384Public(P384.Signing.PublicKey)
  case p384Private(P384.Signing.PrivateKey)
  case p521Public(P521.Signing.PublicKey)
  case p521Private(P521.Signing.PrivateKey)
  case ed25519Public(Curve25519.Signing.PublicKey)
  case ed25519Private(Curve25519.Signing.PrivateKey)
  case secret([UInt8])
  /// A key type this build cannot use (another curve, X25519...): never verifies.
  case unsupported(String)

  /// Whether this is a private key (a JWK with private members).
  var isPrivate: Bool {
    switch self {
    case .rsaPrivate, .p256Private, .p384Private, .p521Private, .ed25519Private: return true
    default: return false
    }
  }

  /// The public half, for verification in `io.jwt.decode_verify` (jwx converts private keys).
  var publicKey: JWTKey {
    switch self {
    case .rsaPrivate(let key): return .rsaPublic(key.publicKey)
    case .p256Private(let key): return .p256Public(key.publicKey)
    case .p384Private(let key): return .p384Public(key.publicKey)
    case .p521Private(let key): return .p521Public(key.publicKey)
    case .ed25519Private(let key): return .ed25519Public(key.publicKey)
    default: return self
    }
  }
}

/// A key with the JWK `alg` and `kid` members (empty for PEM keys).
struct JWTVerificationKey {
  var key: JWTKey
  var algorithm: String
  var keyID: String
}

enum JWTKeys {
  /// OPA's `getKeysFromCertOrJWK`: a PEM certificate or public key, else a JWK or JWK set.
  ///
  /// JWKs whose `alg` is not a JWS algorithm OPA knows are skipped.
  static func verificationKeys(_ text: String) throws(JWTFailure) -> [JWTVerificationKey] {
    if let (block, rest) = JWTPEM.decode(Array(text.utf8)) {
      if !rest.isEmpty { throw JWTFailure("extra data after a PEM certificate block") }
      if block.type == "CERTIFICATE" {
        do throws(JWTFailure) {
          return [JWTVerificationKey(key: try certificatePublicKey(block.bytes), algorithm: "", keyID: "")]
        } catch {
          throw JWTFailure("failed to parse a PEM certificate: " + error.message)
        }
      }
      if block.type == "PUBLIC KEY" {
        do throws(JWTFailure) {
          return [JWTVerificationKey(key: try subjectPublicKey(block.bytes[...]), algorithm: "", keyID: "")]
        } catch {
          throw JWTFailure("failed to parse a PEM public key: " + error.message)
        }
      }
      throw JWTFailure("failed to extract a Key from the PEM certificate")
    }
    let keys: [JWTVerificationKey]
    do throws(JWTFailure) {
      keys = try parseJWKs(text)
    } catch {
      throw JWTFailure("failed to parse a JWK key (set): " + error.message)
    }
    return keys.filter { $0.algorithm.isEmpty || JWTKeys.algorithms.contains($0.algorithm) }
  }

  /// The JWS algorithms OPA accepts (`tokenAlgorithms`).
  static let algorithms: Set<String> = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
    "EdDSA",
  ]

  // MARK: X.509

  /// The subject public key of a DER certificate (the parts of Go's `x509.ParseCertificate`
  /// that lead to it, with its error texts).
  static func certificatePublicKey(_ der: [UInt8]) throws(JWTFailure) -> JWTKey {
    var input = JWTDERReader(der[...])
    guard let certificate = input.read(tag: 0x30) else { throw JWTFailure("x509: malformed certificate") }
    if !input.isEmpty { throw JWTFailure("x509: trailing data") }
    var fields = JWTDERReader(certificate.content)
    guard let tbs = fields.read(tag: 0x30) else { throw JWTFailure("x509: malformed tbs certificate") }
    var tbsFields = JWTDERReader(tbs.content)
    if tbsFields.peekTag == 0xa0 {
      guard tbsFields.read() != nil else { throw JWTFailure("x509: malformed version") }
    }
    guard tbsFields.read(tag: 0x02) != nil else { throw JWTFailure("x509: malformed serial number") }
    guard tbsFields.read(tag: 0x30) != nil else { throw JWTFailure("x509: malformed signature algorithm identifier") }
    guard tbsFields.read(tag: 0x30) != nil else { throw JWTFailure("x509: malformed issuer") }
    guard tbsFields.read(tag: 0x30) != nil else { throw JWTFailure("x509: malformed validity") }
    guard tbsFields.read(tag: 0x30) != nil else { throw JWTFailure("x509: malformed subject") }
    guard let spki = tbsFields.read(tag: 0x30) else { throw JWTFailure("x509: malformed spki") }
    return try subjectPublicKey(spki.encoded)
  }

  private static let rsaEncryption: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]
  private static let ecPublicKey: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]
  private static let ed25519: [UInt8] = [0x2b, 0x65, 0x70]
  private static let p256: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
  private static let p384: [UInt8] = [0x2b, 0x81, 0x04, 0x00, 0x22]
  private static let p521: [UInt8] = [0x2b, 0x81, 0x04, 0x00, 0x23]

  /// A DER SubjectPublicKeyInfo (Go's `x509.ParsePKIXPublicKey`).
  static func subjectPublicKey(_ der: ArraySlice<UInt8>) throws(JWTFailure) -> JWTKey {
    var input = JWTDERReader(der)
    guard let info = input.read(tag: 0x30), input.isEmpty else {
      throw JWTFailure("x509: malformed public key")
    }
    var fields = JWTDERReader(info.content)
    guard let algorithm = fields.read(tag: 0x30), let bitString = fields.read(tag: 0x03),
      let unused = bitString.content.first, unused == 0
    else { throw JWTFailure("x509: malformed public key") }
    var algorithmFields = JWTDERReader(algorithm.content)
    guard let oid = algorithmFields.read(tag: 0x06) else {
      throw JWTFailure("x509: malformed public key algorithm identifier")
    }
    let keyBytes = Array(bitString.content.dropFirst())
    let identifier = Array(oid.content)
    if identifier == rsaEncryption {
      guard let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: Array(info.encoded)) else {
        throw JWTFailure("x509: invalid RSA public key")
      }
      return .rsaPublic(key)
    }
    if identifier == ecPublicKey {
      guard let curve = algorithmFields.read(tag: 0x06) else {
        throw JWTFailure("x509: invalid ECDSA parameters")
      }
      do {
        switch Array(curve.content) {
        case p256: return .p256Public(try P256.Signing.PublicKey(x963Representation: keyBytes))
        case p384: return .p384Public(try P384.Signing.PublicKey(x963Representation: keyBytes))
        case p521: return .p521Public(try P521.Signing.PublicKey(x963Representation: keyBytes))
        default: throw JWTFailure("x509: unsupported elliptic curve")
        }
      } catch let failure as JWTFailure {
        throw failure
      } catch {
        throw JWTFailure("x509: failed to unmarshal elliptic curve point")
      }
    }
    if identifier == ed25519 {
      guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes) else {
        throw JWTFailure("x509: wrong Ed25519 public key size")
      }
      return .ed25519Public(key)
    }
    throw JWTFailure("x509: unknown public key algorithm")
  }

  // MARK: JWK

  /// A JWK or a JWK set (`{"keys": [...]}`) as JSON text.
  static func parseJWKs(_ text: String) throws(JWTFailure) -> [JWTVerificationKey] {
    let document: Value
    do throws(Diagnostic) {
      document = try JSON.parse(text)
    } catch {
      throw JWTFailure("failed to unmarshal JSON into key (set): " + error.message)
    }
    guard case .object(let object) = document else {
      throw JWTFailure("failed to unmarshal JSON into key (set): not an object")
    }
    if let keys = object["keys"] {
      guard case .array(let members) = keys else { throw JWTFailure("invalid \"keys\" member in key set") }
      var result: [JWTVerificationKey] = []
      for member in members {
        guard case .object(let key) = member else { throw JWTFailure("invalid key in key set") }
        result.append(try parseJWK(key))
      }
      return result
    }
    return [try parseJWK(object)]
  }

  private static func member(_ object: ValueObject, _ name: String) -> String? {
    if case .string(let text) = object[name] ?? .undefined { return text }
    return nil
  }

  private static func bytes(_ object: ValueObject, _ name: String, kind: String) throws(JWTFailure) -> [UInt8] {
    guard let text = member(object, name) else { throw JWTFailure("failed to parse \(kind) key: missing \"\(name)\"") }
    guard let decoded = JWTBase64.decodeLenient(text) else {
      throw JWTFailure("failed to parse \(kind) key: invalid base64 in \"\(name)\"")
    }
    return decoded
  }

  /// One JWK object.
  static func parseJWK(_ object: ValueObject) throws(JWTFailure) -> JWTVerificationKey {
    guard let type = member(object, "kty") else { throw JWTFailure("invalid key type from JSON ()") }
    let key: JWTKey
    switch type {
    case "RSA":
      let n = try bytes(object, "n", kind: "RSA")
      let e = try bytes(object, "e", kind: "RSA")
      if member(object, "d") != nil {
        let d = try bytes(object, "d", kind: "RSA")
        let p = try bytes(object, "p", kind: "RSA")
        let q = try bytes(object, "q", kind: "RSA")
        guard let privateKey = try? _RSA.Signing.PrivateKey(n: n, e: e, d: d, p: p, q: q) else {
          throw JWTFailure("failed to parse RSA key: invalid private key")
        }
        key = .rsaPrivate(privateKey)
      } else {
        guard let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e) else {
          throw JWTFailure("failed to parse RSA key: invalid public key")
        }
        key = .rsaPublic(publicKey)
      }
    case "EC":
      let curve = member(object, "crv") ?? ""
      let size: Int
      switch curve {
      case "P-256": size = 32
      case "P-384": size = 48
      case "P-521": size = 66
      default: throw JWTFailure("failed to parse EC key: unsupported curve \"\(curve)\"")
      }
      let x = try bytes(object, "x", kind: "EC")
      let y = try bytes(object, "y", kind: "EC")
      guard x.count <= size, y.count <= size else { throw JWTFailure("failed to parse EC key: invalid coordinates") }
      let point = [0x04] + pad(x, to: size) + pad(y, to: size)
      if member(object, "d") != nil {
        let d = pad(try bytes(object, "d", kind: "EC"), to: size)
        do {
          switch curve {
          case "P-256": key = .p256Private(try P256.Signing.PrivateKey(rawRepresentation: d))
          case "P-384": key = .p384Private(try P384.Signing.PrivateKey(rawRepresentation: d))
          default: key = .p521Private(try P521.Signing.PrivateKey(rawRepresentation: d))
          }
        } catch {
          throw JWTFailure("failed to parse EC key: invalid private key")
        }
      } else {
        do {
          switch curve {
          case "P-256": key = .p256Public(try P256.Signing.PublicKey(x963Representation: point))
          case "P-384": key = .p384Public(try P384.Signing.PublicKey(x963Representation: point))
          default: key = .p521Public(try P521.Signing.PublicKey(x963Representation: point))
          }
        } catch {
          throw JWTFailure("failed to parse EC key: point is not on the curve")
        }
      }
    case "OKP":
      let curve = member(object, "crv") ?? ""
      guard curve == "Ed25519" else {
        key = .unsupported("OKP " + curve)
        break
      }
      let x = try bytes(object, "x", kind: "OKP")
      if member(object, "d") != nil {
        let d = try bytes(object, "d", kind: "OKP")
        guard let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: d) else {
          throw JWTFailure("failed to parse OKP key: invalid private key")
        }
        key = .ed25519Private(privateKey)
      } else {
        guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: x) else {
          throw JWTFailure("failed to parse OKP key: invalid public key")
        }
        key = .ed25519Public(publicKey)
      }
    case "oct":
      key = .secret(try bytes(object, "k", kind: "symmetric"))
    default:
      throw JWTFailure("invalid key type from JSON (\(type))")
    }
    return JWTVerificationKey(key: key, algorithm: member(object, "alg") ?? "", keyID: member(object, "kid") ?? "")
  }

  private static func pad(_ bytes: [UInt8], to size: Int) -> [UInt8] {
    bytes.count >= size ? bytes : [UInt8](repeating: 0, count: size - bytes.count) + bytes
  }
}

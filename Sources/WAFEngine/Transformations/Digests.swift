// MD5 (RFC 1321) and SHA-1 (FIPS 180-4) for `t:md5` and `t:sha1`. Both return the raw digest bytes,
// as ModSecurity does (rules usually follow them with `t:hexEncode`). Written here so WAFEngine needs
// no crypto dependency; neither is used for anything security-relevant, only for matching.

/// Pads a message the way MD5 and SHA-1 both do: 0x80, zeros to 56 mod 64, then the bit length as
/// 8 bytes (little-endian for MD5, big-endian for SHA-1).
private func paddedMessage(_ input: UnsafeBufferPointer<UInt8>, bigEndianLength: Bool) -> [UInt8] {
  var message = Array(input)
  let bitLength = UInt64(input.count) &* 8
  message.reserveCapacity(input.count + 72)
  message.append(0x80)
  while message.count % 64 != 56 { message.append(0) }
  for n in 0..<8 {
    let shift = bigEndianLength ? UInt64(56 - 8 * n) : UInt64(8 * n)
    message.append(UInt8(truncatingIfNeeded: bitLength >> shift))
  }
  return message
}

/// MD5 message digest.
enum MD5 {
  private static let shifts: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
  ]

  /// `floor(abs(sin(i + 1)) * 2^32)`, the RFC 1321 table.
  private static let constants: [UInt32] = [
    0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
    0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
    0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
    0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
    0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
    0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
    0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
    0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
  ]

  /// The 16-byte MD5 digest of `input`.
  static func digest(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    let message = paddedMessage(input, bigEndianLength: false)
    var a0: UInt32 = 0x6745_2301
    var b0: UInt32 = 0xefcd_ab89
    var c0: UInt32 = 0x98ba_dcfe
    var d0: UInt32 = 0x1032_5476
    var words = [UInt32](repeating: 0, count: 16)
    var offset = 0
    while offset < message.count {
      for n in 0..<16 {
        let base = offset + 4 * n
        words[n] =
          UInt32(message[base]) | UInt32(message[base + 1]) << 8 | UInt32(message[base + 2]) << 16
          | UInt32(message[base + 3]) << 24
      }
      var a = a0
      var b = b0
      var c = c0
      var d = d0
      for i in 0..<64 {
        var f: UInt32
        let g: Int
        switch i {
        case 0..<16:
          f = (b & c) | (~b & d)
          g = i
        case 16..<32:
          f = (d & b) | (~d & c)
          g = (5 * i + 1) % 16
        case 32..<48:
          f = b ^ c ^ d
          g = (3 * i + 5) % 16
        default:
          f = c ^ (b | ~d)
          g = (7 * i) % 16
        }
        f = f &+ a &+ constants[i] &+ words[g]
        a = d
        d = c
        c = b
        let s = shifts[i]
        b = b &+ (f << s | f >> (32 - s))
      }
      a0 = a0 &+ a
      b0 = b0 &+ b
      c0 = c0 &+ c
      d0 = d0 &+ d
      offset += 64
    }
    var out: [UInt8] = []
    out.reserveCapacity(16)
    for word in [a0, b0, c0, d0] {
      for n in 0..<4 { out.append(UInt8(truncatingIfNeeded: word >> UInt32(8 * n))) }
    }
    return out
  }
}

/// SHA-1 message digest.
enum SHA1 {
  /// The 20-byte SHA-1 digest of `input`.
  static func digest(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    let message = paddedMessage(input, bigEndianLength: true)
    var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
      0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0
    )
    var w = [UInt32](repeating: 0, count: 80)
    var offset = 0
    while offset < message.count {
      for n in 0..<16 {
        let base = offset + 4 * n
        w[n] =
          UInt32(message[base]) << 24 | UInt32(message[base + 1]) << 16 | UInt32(message[base + 2]) << 8
          | UInt32(message[base + 3])
      }
      for n in 16..<80 {
        let x = w[n - 3] ^ w[n - 8] ^ w[n - 14] ^ w[n - 16]
        w[n] = x << 1 | x >> 31
      }
      var (a, b, c, d, e) = h
      for n in 0..<80 {
        let f: UInt32
        let k: UInt32
        switch n {
        case 0..<20:
          f = (b & c) | (~b & d)
          k = 0x5A82_7999
        case 20..<40:
          f = b ^ c ^ d
          k = 0x6ED9_EBA1
        case 40..<60:
          f = (b & c) | (b & d) | (c & d)
          k = 0x8F1B_BCDC
        default:
          f = b ^ c ^ d
          k = 0xCA62_C1D6
        }
        let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[n]
        e = d
        d = c
        c = b << 30 | b >> 2
        b = a
        a = temp
      }
      h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
      offset += 64
    }
    var out: [UInt8] = []
    out.reserveCapacity(20)
    for word in [h.0, h.1, h.2, h.3, h.4] {
      for n in 0..<4 { out.append(UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * n))) }
    }
    return out
  }
}

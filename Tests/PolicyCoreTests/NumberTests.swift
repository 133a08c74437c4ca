import PolicyCore
import Testing

@Suite("Number: exact values")
struct NumberTests {
  @Test("literal validation follows the JSON grammar")
  func literals() {
    for valid in ["0", "-0", "1", "-1.5", "1e5", "1E+5", "1e-5", "0.0", "123456789012345678901234567890"] {
      #expect(Number(literal: valid) != nil, "\(valid)")
    }
    for invalid in ["", "-", "01", "1.", ".1", "+1", "1e", "1e+", "0x10", "NaN", "1 ", "1_000"] {
      #expect(Number(literal: invalid) == nil, "\(invalid)")
    }
  }

  @Test("integral views")
  func integral() {
    #expect(Number(literal: "2.0")?.intValue == 2)
    #expect(Number(literal: "2e2")?.intValue == 200)
    #expect(Number(literal: "2.5")?.intValue == nil)
    #expect(Number(literal: "2.5")?.isIntegral == false)
    #expect(Number(literal: "25e-1")?.doubleValue == 2.5)
    #expect(Number(literal: "1e30")?.intValue == nil)
    #expect(Number(literal: "1e30")?.isIntegral == true)
  }

  @Test("text is the literal as written")
  func text() {
    #expect(Number(literal: "1.50")?.text == "1.50")
    #expect(Number(7).text == "7")
    #expect(Number(0.25).text == "0.25")
    #expect(Number(1e20).text == "100000000000000000000")
  }
}

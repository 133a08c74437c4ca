import Testing
@testable import FalconEngine

@Test func falconEngineModuleLinks() {}

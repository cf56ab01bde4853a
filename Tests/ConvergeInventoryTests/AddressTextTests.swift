import ConvergeModel
import ConvergeTestSupport
import Testing

@testable import ConvergeInventory

/// The evidence writer's address text is the model's `description`, byte for byte.
@Suite struct AddressTextTests {
    static let fixed: [String] = [
        "0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.7", "::", "::1", "1::", "2001:db8::1",
        "2001:db8:0:0:1:0:0:1", "2001:0:0:1::1", "fe80::1:0:0:0", "1:0:1:0:1:0:1:0", "1:2:3:4:5:6:7:8",
        "::ffff:0:1", "0:0:1::", "abcd:ef01:2345:6789:abcd:ef01:2345:6789", "1:0:0:2:0:0:0:3",
    ]

    @Test(arguments: fixed)
    func fixedAddresses(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressText.text(address) == address.description)
    }

    /// Random bits with zero groups made common, so every shape of run is met.
    @Test func randomAddresses() {
        var random = SeededGenerator(seed: 6)
        for _ in 0..<20_000 {
            var bits: UInt128 = 0
            for _ in 0..<8 {
                let shift = UInt16.random(in: 0...15, using: &random)
                let value = UInt16.random(in: 0...0xFFFF, using: &random) >> shift
                let group = Int.random(in: 0..<3, using: &random) == 0 ? 0 : value
                bits = bits << 16 | UInt128(group)
            }
            if Int.random(in: 0..<4, using: &random) == 0 {
                bits = IPAddress(v4: UInt32.random(in: 0...UInt32.max, using: &random)).bits
            }
            let address = IPAddress(bits: bits)
            #expect(AddressText.text(address) == address.description)
        }
    }
}

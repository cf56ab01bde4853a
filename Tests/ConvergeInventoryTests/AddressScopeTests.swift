import ConvergeModel
import Testing

@testable import ConvergeInventory

@Suite struct AddressScopeTests {
    @Test(arguments: [
        ("10.1.2.3", AddressScope.private), ("172.16.0.1", .private), ("172.31.255.254", .private),
        ("192.168.1.1", .private), ("100.64.0.1", .private), ("169.254.10.1", .linkLocal),
        ("172.32.0.1", .public), ("8.8.8.8", .public), ("203.0.113.7", .public),
        ("255.255.255.255", .special), ("224.0.0.1", .special), ("239.255.255.250", .special),
        ("0.0.0.0", .special), ("127.0.0.1", .special),
        ("fe80::1", .linkLocal), ("fd00::1", .private), ("2001:4860::8888", .public), ("ff02::1", .special),
        ("::", .special), ("::1", .special),
    ])
    func classifies(_ text: String, _ scope: AddressScope) throws {
        let address = try #require(IPAddress(text))
        #expect(AddressScope(address) == scope)
    }
}

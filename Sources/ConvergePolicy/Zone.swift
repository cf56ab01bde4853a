import ConvergeInventory
import ConvergeModel

/// A group of assets that share security requirements (IEC 62443-3-2): a Purdue level, a target
/// security level, and the members that belong to it.
public struct Zone: Sendable, Hashable {
    public var name: String
    public var level: PurdueLevel?
    /// The target security level, SL-T 1–4.
    public var securityLevel: Int?
    public var description: String?
    public var members: Members
    /// Where the zone is declared in the policy file (1-based; 0 when built in code).
    public var line: Int

    /// Who belongs. An asset named by id wins over every address block; among blocks the longest
    /// prefix wins; then a role, then a vendor catch assets no id or block claimed (ties: first declared).
    public struct Members: Sendable, Hashable {
        public var cidrs: [CIDR]
        public var assets: [String]
        public var roles: [Role]
        /// Matched case-insensitively as a substring of the asset's vendor or MAC vendor.
        public var vendors: [String]

        public init(cidrs: [CIDR] = [], assets: [String] = [], roles: [Role] = [], vendors: [String] = []) {
            self.cidrs = cidrs
            self.assets = assets
            self.roles = roles
            self.vendors = vendors
        }

        public var isEmpty: Bool { cidrs.isEmpty && assets.isEmpty && roles.isEmpty && vendors.isEmpty }
    }

    public init(
        name: String, level: PurdueLevel? = nil, securityLevel: Int? = nil, description: String? = nil,
        members: Members, line: Int = 0
    ) {
        self.name = name
        self.level = level
        self.securityLevel = securityLevel
        self.description = description
        self.members = members
        self.line = line
    }
}

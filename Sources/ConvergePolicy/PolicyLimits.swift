/// Bounds on what a policy file may hold, so a hostile or generated file costs bounded time and
/// memory and fails with a clear message instead.
public enum PolicyLimits {
    public static let maxFileBytes = 32 << 20
    public static let maxZones = 100_000
    public static let maxConduits = 200_000
    public static let maxExceptions = 100_000
    public static let maxMembersPerZone = 65_536
    public static let maxProtocolsPerConduit = 1_024
    public static let maxPortsPerProtocol = 256
    /// YAML nodes visited while reading: aliases can make a small file expand exponentially
    /// ("billion laughs"); past this the file is refused.
    public static let maxNodes = 4_000_000
    /// Problems reported before giving up on a file.
    public static let maxProblems = 100
    public static let maxNameLength = 200
    /// Overlap and reachability findings kept (a count of the rest is reported).
    public static let maxDiagnostics = 10_000
}

import ConvergeModel

/// A temporary, owned allowance outside the conduits: who asked for it and until when. Expired
/// exceptions allow nothing and are reported.
public struct PolicyException: Sendable, Hashable {
    public var name: String
    /// A zone name or an address block (`10.0.0.9`, `10.0.0.0/24`).
    public var from: Endpoint
    public var to: Endpoint
    /// nil: every protocol.
    public var proto: String?
    /// nil: every operation.
    public var operations: Set<Operation>?
    public var owner: String
    /// The last day the exception holds (through 23:59:59 UTC of that day), as `YYYY-MM-DD`.
    public var expires: String
    /// The first instant the exception no longer holds.
    public var expiry: Timestamp
    public var reason: String?
    public var line: Int

    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        case zone(String)
        case block(CIDR)

        public var description: String {
            switch self {
            case .zone(let name): "zone \(name)"
            case .block(let cidr): cidr.length == 128 ? "\(IPAddress(bits: cidr.network))" : cidr.description
            }
        }
    }

    public init(
        name: String, from: Endpoint, to: Endpoint, proto: String?, operations: Set<Operation>?, owner: String,
        expires: String, expiry: Timestamp, reason: String? = nil, line: Int = 0
    ) {
        self.name = name
        self.from = from
        self.to = to
        self.proto = proto
        self.operations = operations
        self.owner = owner
        self.expires = expires
        self.expiry = expiry
        self.reason = reason
        self.line = line
    }

    public func isLive(at now: Timestamp) -> Bool { now < expiry }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), so an
/// expiry date needs no calendar or time-zone machinery.
func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD` into the first instant of the day after (the exception's end).
func expiryInstant(_ text: String) -> Timestamp? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
        let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
        (1970...9999).contains(year), (1...12).contains(month)
    else { return nil }
    let monthDays = [
        31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30,
        31, 30, 31,
    ]
    guard (1...monthDays[month - 1]).contains(day) else { return nil }
    let days = daysSinceEpoch(year: year, month: month, day: day) + 1
    return Timestamp(seconds: Int64(days) * 86_400, nanoseconds: 0)
}

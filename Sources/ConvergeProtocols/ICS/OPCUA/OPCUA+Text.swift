extension OPCUA {
    /// 100-ns ticks in a second.
    static let ticksPerSecond: Int64 = 10_000_000
    /// DateTime ticks of 9999-12-31T23:59:59Z: the spec's largest value (later ones mean "max").
    static let maxDateTimeTicks: Int64 = 2_650_467_743_990_000_000

    /// A DateTime (100 ns ticks since 1601-01-01 UTC) as ISO 8601 with milliseconds:
    /// `2024-03-01T12:00:00.250Z`. The spec's null (0 or less) and "max" values are named so, not
    /// dated. Allocates: for events only.
    static func dateTimeText(_ ticks: Int64) -> String {
        if ticks <= 0 { return "min" }
        if ticks >= maxDateTimeTicks { return "max" }
        let seconds = ticks / ticksPerSecond
        let milliseconds = (ticks % ticksPerSecond) / 10_000
        let (year, month, day) = civilDate(daysSince1601: seconds / 86_400)
        let secondOfDay = seconds % 86_400
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3600, 2)):"
            + "\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2)).\(padded(milliseconds, 3))Z"
    }

    /// The proleptic Gregorian date `days` after 1601-01-01 (a 400-year cycle starts there,
    /// so the cycle arithmetic needs no shift of epoch). `days` is 0…3 000 000 here.
    static func civilDate(daysSince1601 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let cycles = days / 146_097
        var rest = days % 146_097
        // Centuries within the cycle (the fourth is one day longer), then 4-year groups, years.
        let centuries = min(rest / 36_524, 3)
        rest -= centuries * 36_524
        let groups = rest / 1461
        rest -= groups * 1461
        let years = min(rest / 365, 3)
        rest -= years * 365
        let year = 1601 + cycles * 400 + centuries * 100 + groups * 4 + years
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var month: Int64 = 1
        for length in lengths where rest >= length {
            rest -= length
            month += 1
        }
        return (year, month, rest + 1)
    }

    static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width &- digits.count)) + digits
    }

    /// A string value in double quotes, its own quotes and backslashes escaped, so an event
    /// tells the string "42" from the number 42.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        result.append("\"")
        return result
    }
}

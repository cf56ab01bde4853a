extension IEC104 {
    /// The seven-octet binary time of IEC 60870-5-4 §6.8: milliseconds (0…59 999, little
    /// endian), minutes (bits 0…5, IV 0x80), hours (bits 0…4, SU 0x80), day of month (bits 0…4,
    /// day of week 5…7), month (bits 0…3), year (bits 0…6, 0…99 taken as 2000…2099).
    public enum CP56Time2a {
        public static let length = 7

        /// The time as Unix milliseconds (UTC assumed: the wire carries no zone), nil when the
        /// octets are missing or a field is out of range.
        public static func unixMilliseconds(_ bytes: Span<UInt8>, at offset: Int) -> Int? {
            guard offset >= 0, offset &+ length <= bytes.count else { return nil }
            let milliseconds = Int(bytes[offset]) | Int(bytes[offset &+ 1]) << 8
            let minute = Int(bytes[offset &+ 2] & 0x3f)
            let hour = Int(bytes[offset &+ 3] & 0x1f)
            let day = Int(bytes[offset &+ 4] & 0x1f)
            let month = Int(bytes[offset &+ 5] & 0x0f)
            let yearOfCentury = Int(bytes[offset &+ 6] & 0x7f)
            let year = 2000 &+ yearOfCentury
            // Years above 99 fit the 7 bits but not the spec (some senders count from 1900).
            guard yearOfCentury <= 99, milliseconds < 60_000, minute < 60, hour < 24, (1...12).contains(month),
                (1...daysIn(month: month, year: year)).contains(day)
            else { return nil }
            let days = daysFromCivil(year: year, month: month, day: day)
            return ((days &* 24 &+ hour) &* 60 &+ minute) &* 60_000 &+ milliseconds
        }

        static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date (the era-based civil-date method).
        static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
            let y = month <= 2 ? year &- 1 : year
            let era = y / 400
            let yearOfEra = y &- era &* 400
            let monthIndex = month > 2 ? month &- 3 : month &+ 9
            let dayOfYear = (153 &* monthIndex &+ 2) / 5 &+ day &- 1
            let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
            return era &* 146_097 &+ dayOfEra &- 719_468
        }
    }
}

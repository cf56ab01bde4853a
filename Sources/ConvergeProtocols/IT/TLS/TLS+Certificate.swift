import ConvergeModel

extension TLS {
    /// Relative distinguished names read per Name; more are ignored.
    public static let maxNameAttributes = 64

    /// The fields of a server's first certificate that identify it (events only: allocates).
    public struct CertificateSummary: Sendable, Equatable {
        public var subjectCommonName: String?
        public var subjectOrganization: String?
        public var issuerCommonName: String?
        public var issuerOrganization: String?
        /// Validity bounds in Unix seconds, nil when unreadable.
        public var notBefore: Int64?
        public var notAfter: Int64?
        /// Subject and issuer names are byte-for-byte equal.
        public var selfSigned = false

        public func isExpired(at time: Timestamp) -> Bool {
            guard let notAfter else { return false }
            return time.nanoseconds / 1_000_000_000 > notAfter
        }

        public func isNotYetValid(at time: Timestamp) -> Bool {
            guard let notBefore else { return false }
            return time.nanoseconds / 1_000_000_000 < notBefore
        }

        /// `CN=…, O=…` of the subject (or issuer), for events.
        public static func distinguished(commonName: String?, organization: String?) -> String {
            [commonName.map { "CN=" + $0 }, organization.map { "O=" + $0 }].compactMap { $0 }.joined(separator: ", ")
        }
    }

    /// The first certificate of a TLS ≤ 1.2 Certificate message body (a 3-byte list length, then
    /// 3-byte-length-prefixed DER certificates). Nil when it cannot be read. The body may be a
    /// truncated prefix: the outer DER lengths may then run past it, the fields read must not.
    public static func firstCertificate(_ body: Span<UInt8>) -> CertificateSummary? {
        guard body.count >= 6, let high = body.byte(at: 3), let low = body.uint16BE(at: 4)
        else { return nil }
        let length = Int(high) << 16 | Int(low)
        let certificateEnd = min(6 &+ length, body.count)
        let der = body.extracting(6..<certificateEnd)
        guard let certificate = DER.element(der, at: 0, limit: der.count, lenient: true),
            certificate.tag == DER.sequence,
            let tbs = DER.element(der, at: certificate.content.lowerBound, limit: certificate.end, lenient: true),
            tbs.tag == DER.sequence
        else { return nil }
        let end = tbs.content.upperBound
        var offset = tbs.content.lowerBound
        guard var element = DER.element(der, at: offset, limit: end) else { return nil }
        if element.tag == 0xa0 {  // [0] EXPLICIT version
            offset = element.end
            guard let next = DER.element(der, at: offset, limit: end) else { return nil }
            element = next
        }
        // serialNumber, signature, issuer, validity, subject.
        guard element.tag == DER.integer,
            let signature = DER.element(der, at: element.end, limit: end), signature.tag == DER.sequence,
            let issuer = DER.element(der, at: signature.end, limit: end), issuer.tag == DER.sequence,
            let validity = DER.element(der, at: issuer.end, limit: end), validity.tag == DER.sequence,
            let subject = DER.element(der, at: validity.end, limit: end), subject.tag == DER.sequence
        else { return nil }
        var summary = CertificateSummary()
        (summary.issuerCommonName, summary.issuerOrganization) = DER.nameFields(der, issuer)
        (summary.subjectCommonName, summary.subjectOrganization) = DER.nameFields(der, subject)
        summary.selfSigned = DER.equal(der, issuer, subject)
        if let notBefore = DER.element(der, at: validity.content.lowerBound, limit: validity.content.upperBound) {
            summary.notBefore = DER.time(der, notBefore)
            if let notAfter = DER.element(der, at: notBefore.end, limit: validity.content.upperBound) {
                summary.notAfter = DER.time(der, notAfter)
            }
        }
        return summary
    }

    /// A small, bounded DER reader for the certificate fields above: definite lengths of at most
    /// 4 bytes, every element checked against its parent's end.
    enum DER {
        static let integer: UInt8 = 0x02
        static let objectIdentifier: UInt8 = 0x06
        static let sequence: UInt8 = 0x30
        static let set: UInt8 = 0x31
        static let utcTime: UInt8 = 0x17
        static let generalizedTime: UInt8 = 0x18
        static let bmpString: UInt8 = 0x1e
        /// id-at-commonName (2.5.4.3) and id-at-organizationName (2.5.4.10), encoded.
        static let commonNameOID: [UInt8] = [0x55, 0x04, 0x03]
        static let organizationOID: [UInt8] = [0x55, 0x04, 0x0a]

        struct Element {
            var tag: UInt8
            var start: Int
            var content: Range<Int>
            var end: Int { content.upperBound }
        }

        /// The element at `offset`, whose end must not pass `limit`; `lenient` clips a content
        /// that runs past the bytes instead (for the outer certificate of a truncated message).
        static func element(_ bytes: Span<UInt8>, at offset: Int, limit: Int, lenient: Bool = false) -> Element? {
            guard offset >= 0, offset < limit, let tag = bytes.byte(at: offset), tag & 0x1f != 0x1f,
                let first = bytes.byte(at: offset &+ 1)
            else { return nil }
            var length = 0
            var contentStart = offset &+ 2
            if first < 0x80 {
                length = Int(first)
            } else {
                let count = Int(first & 0x7f)
                guard count >= 1, count <= 4 else { return nil }  // 0x80 is indefinite: not DER
                for index in 0..<count {
                    guard let byte = bytes.byte(at: contentStart &+ index) else { return nil }
                    length = length << 8 | Int(byte)
                }
                contentStart &+= count
            }
            var contentEnd = contentStart &+ length
            if contentEnd > limit {
                guard lenient else { return nil }
                contentEnd = limit
            }
            guard contentStart <= contentEnd else { return nil }
            return Element(tag: tag, start: offset, content: contentStart..<contentEnd)
        }

        /// The common name and organisation of a Name (SEQUENCE OF SET OF AttributeTypeAndValue).
        static func nameFields(_ bytes: Span<UInt8>, _ name: Element) -> (String?, String?) {
            var commonName: String?
            var organization: String?
            var offset = name.content.lowerBound
            var seen = 0
            while offset < name.end, seen < TLS.maxNameAttributes,
                let set = element(bytes, at: offset, limit: name.end), set.tag == DER.set
            {
                seen &+= 1
                offset = set.end
                guard let pair = element(bytes, at: set.content.lowerBound, limit: set.end), pair.tag == sequence,
                    let oid = element(bytes, at: pair.content.lowerBound, limit: pair.end), oid.tag == objectIdentifier,
                    let value = element(bytes, at: oid.end, limit: pair.end)
                else { continue }
                if commonName == nil, matches(bytes, oid, commonNameOID) {
                    commonName = string(bytes, value)
                } else if organization == nil, matches(bytes, oid, organizationOID) {
                    organization = string(bytes, value)
                }
            }
            return (commonName, organization)
        }

        static func matches(_ bytes: Span<UInt8>, _ element: Element, _ expected: [UInt8]) -> Bool {
            guard element.content.count == expected.count else { return false }
            for (index, byte) in expected.enumerated() where bytes.byte(at: element.content.lowerBound &+ index) != byte
            {
                return false
            }
            return true
        }

        /// Directory string as text: BMPString as UTF-16BE, the others as UTF-8 (T61 and
        /// Printable are ASCII in practice); invalid bytes replaced, cut to `maxNameLength`.
        static func string(_ bytes: Span<UInt8>, _ element: Element) -> String {
            let end = min(element.end, element.content.lowerBound &+ TLS.maxNameLength &* 2)
            if element.tag == bmpString {
                var units: [UInt16] = []
                var offset = element.content.lowerBound
                while offset &+ 2 <= end, let unit = bytes.uint16BE(at: offset) {
                    units.append(unit)
                    offset &+= 2
                }
                return String(decoding: units, as: UTF16.self)
            }
            return TLS.ClientDetails.text(bytes, element.content.lowerBound..<min(end, element.end))
        }

        static func equal(_ bytes: Span<UInt8>, _ a: Element, _ b: Element) -> Bool {
            let lengthA = a.end &- a.start
            guard lengthA == b.end &- b.start else { return false }
            for index in 0..<lengthA where bytes.byte(at: a.start &+ index) != bytes.byte(at: b.start &+ index) {
                return false
            }
            return true
        }

        /// UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ) in Unix
        /// seconds; nil for anything else.
        static func time(_ bytes: Span<UInt8>, _ element: Element) -> Int64? {
            var offset = element.content.lowerBound
            func digits(_ count: Int) -> Int? {
                var value = 0
                for _ in 0..<count {
                    guard offset < element.end, let byte = bytes.byte(at: offset), byte >= 0x30, byte <= 0x39 else {
                        return nil
                    }
                    value = value &* 10 &+ Int(byte &- 0x30)
                    offset &+= 1
                }
                return value
            }
            let year: Int
            switch element.tag {
            case utcTime:
                guard let yy = digits(2) else { return nil }
                year = yy < 50 ? 2000 &+ yy : 1900 &+ yy
            case generalizedTime:
                guard let yyyy = digits(4) else { return nil }
                year = yyyy
            default:
                return nil
            }
            guard let month = digits(2), let day = digits(2), let hour = digits(2), let minute = digits(2),
                (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
            else { return nil }
            let second = digits(2) ?? 0
            let days = daysFromCivil(year: year, month: month, day: day)
            return Int64(days) &* 86_400 &+ Int64(hour &* 3600 &+ minute &* 60 &+ second)
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date (the era-based formula).
        static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
            let y = month <= 2 ? year &- 1 : year
            let era = (y >= 0 ? y : y &- 399) / 400
            let yearOfEra = y &- era &* 400
            let shifted = month > 2 ? month &- 3 : month &+ 9
            let dayOfYear = (153 &* shifted &+ 2) / 5 &+ day &- 1
            let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
            return era &* 146_097 &+ dayOfEra &- 719_468
        }
    }
}

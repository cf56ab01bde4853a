extension PassiveOSSignature {
    /// Ethernet's MTU: stacks that size their window from the wrong interface use it.
    static let ethernetMTU = 1500

    /// How many segments the window holds, and whether the segment is an MTU rather than an MSS;
    /// nil when it is no whole multiple (or there is no usable MSS).
    ///
    /// The candidates are the ones p0f v3 prints, tried in its order: the MSS, the MSS less 12 bytes
    /// of timestamps, Ethernet's MSS (1460, 1448; 1440, 1428 over IPv6) for stacks that look at the
    /// wrong interface, then the MTU (MSS plus minimal headers, MSS plus this packet's headers, 1500).
    /// p0f also tries the peer's MSS on a SYN+ACK, which needs the SYN: not done here.
    public var windowMultiple: (multiple: Int, ofMTU: Bool)? {
        guard let mss, mss >= 100, window > 0 else { return nil }
        let window = Int(window)
        let segment = Int(mss)
        let v6 = ipVersion == 6
        func divides(_ divisor: Int) -> Bool { divisor > 0 && window % divisor == 0 }
        if divides(segment) { return (window / segment, false) }
        if timestampPresent, !timestampZero, divides(segment &- 12) { return (window / (segment &- 12), false) }
        for ethernetMSS in [Self.ethernetMTU &- 40, Self.ethernetMTU &- 52] where divides(ethernetMSS) {
            return (window / ethernetMSS, false)
        }
        if v6 {
            for ethernetMSS in [Self.ethernetMTU &- 60, Self.ethernetMTU &- 72] where divides(ethernetMSS) {
                return (window / ethernetMSS, false)
            }
        }
        for mtu in [segment &+ 40, segment &+ Int(headerBytes), v6 ? segment &+ 60 : 0, Self.ethernetMTU]
        where divides(mtu) {
            return (window / mtu, true)
        }
        return nil
    }
}

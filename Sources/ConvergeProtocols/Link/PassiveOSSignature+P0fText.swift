extension PassiveOSSignature {
    /// The signature in p0f v3's raw form, `ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass`
    /// (e.g. `4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0`), so a user can compare it with
    /// p0f's output or database. TTL is `observed+distance`, an absent MSS is 0, and the window is
    /// written as a multiple of the MSS or MTU when it is one (`windowMultiple`).
    public var p0fText: String {
        var text = String(ipVersion) + ":" + String(ttl) + "+" + String(distance) + ":" + String(ipOptionsLength)
        text += ":" + String(mss ?? 0)
        text += ":" + windowText + "," + String(windowScale ?? 0)
        text += ":" + layoutText + ":" + quirksText + ":" + (payloadLength > 0 ? "+" : "0")
        return text
    }

    /// `mss*N`, `mtu*N` or the window itself.
    var windowText: String {
        guard let (multiple, ofMTU) = windowMultiple else { return String(window) }
        return (ofMTU ? "mtu*" : "mss*") + String(multiple)
    }

    /// Option kinds by p0f's names (`mss,nop,ws,nop,nop,ts,sok,eol+1`), `?n` for others.
    public var layoutText: String {
        var names: [String] = []
        for index in 0..<Int(options.count) {
            let kind = options[index]
            switch kind {
            case OptionLayout.eol: names.append("eol+" + String(eolPadding))
            case OptionLayout.nop: names.append("nop")
            case OptionLayout.mss: names.append("mss")
            case OptionLayout.windowScale: names.append("ws")
            case OptionLayout.sackPermitted: names.append("sok")
            case OptionLayout.sack: names.append("sack")
            case OptionLayout.timestamp: names.append("ts")
            default: names.append("?" + String(kind))
            }
        }
        return names.joined(separator: ",")
    }

    var quirksText: String {
        var names: [String] = []
        for (quirk, name) in Quirks.names where quirks.contains(quirk) { names.append(name) }
        return names.joined(separator: ",")
    }
}

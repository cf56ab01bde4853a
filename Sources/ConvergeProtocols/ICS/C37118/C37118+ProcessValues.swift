import ConvergeModel

extension C37118 {
    /// A data frame's measurements, decoded with the stream's remembered configuration, tagged
    /// `c37118://<pmu address>/<pmu idcode>/<quantity>`: `phasor/<n>/magnitude` (V or A) and
    /// `phasor/<n>/angle` (degrees) for polar phasors, `phasor/<n>/real` and `/imaginary` for
    /// rectangular ones, `frequency` (Hz), `rocof` (Hz/s), `analog/<n>` (integers as sent, floats
    /// as sent) and `digital/<n>` (the 16-bit word). Each carries the PMU's STAT word as quality.
    /// Nothing without a configuration, with a bad CRC or with a size the configuration disagrees with.
    public static func processValues(
        _ parsed: Frame, event: Message, bytes: Span<UInt8>, context: MessageContext, state: State
    ) -> [ProcessValue] {
        guard parsed.type == .data, !parsed.anomalies.contains(.badChecksum),
            let configuration = state.configuration(parsed.idcode), configuration.dataFrameSize == parsed.frameSize,
            parsed.frameSize <= bytes.count
        else { return [] }
        let sender = context.direction == .toClient ? context.server : context.client
        var values: [ProcessValue] = []
        var offset = headerLength
        for pmu in configuration.pmus {
            let prefix = "c37118://\(sender.address)/\(pmu.idcode)/"
            let stat = UInt32(bytes.uint16BE(at: offset) ?? 0)
            func add(_ quantity: String, _ value: Double) {
                values.append(ProcessValue(time: context.time, tag: prefix + quantity, value: value, written: false,
                    quality: stat))
            }
            var at = offset &+ 2
            for index in 0..<pmu.phasors {
                let (first, second) = phasor(bytes, at: at, pmu: pmu, index: index)
                if pmu.polar {
                    add("phasor/\(index)/magnitude", first)
                    add("phasor/\(index)/angle", second * 180 / Double.pi)
                } else {
                    add("phasor/\(index)/real", first)
                    add("phasor/\(index)/imaginary", second)
                }
                at &+= pmu.floatPhasors ? 8 : 4
            }
            if pmu.floatFrequency {
                add("frequency", Double(float(bytes, at)))
                add("rocof", Double(float(bytes, at &+ 4)))
                at &+= 8
            } else {
                add("frequency", pmu.nominalFrequency + Double(int16(bytes, at)) / 1000)
                add("rocof", Double(int16(bytes, at &+ 2)) / 100)
                at &+= 4
            }
            for index in 0..<pmu.analogs {
                add("analog/\(index)", pmu.floatAnalogs ? Double(float(bytes, at)) : Double(int16(bytes, at)))
                at &+= pmu.floatAnalogs ? 4 : 2
            }
            for index in 0..<pmu.digitals {
                add("digital/\(index)", Double(bytes.uint16BE(at: at) ?? 0))
                at &+= 2
            }
            offset &+= pmu.dataLength
        }
        return values
    }

    /// One phasor: (magnitude, angle in radians) when polar, (real, imaginary) when rectangular,
    /// integers scaled by PHUNIT (10^-5 V or A per bit).
    static func phasor(_ bytes: Span<UInt8>, at offset: Int, pmu: PMUConfiguration, index: Int) -> (Double, Double) {
        if pmu.floatPhasors { return (Double(float(bytes, offset)), Double(float(bytes, offset &+ 4))) }
        let unit = index < pmu.phasorUnits.count ? pmu.phasorUnits[index] : 0
        let scale = Double(unit & 0x00FF_FFFF) * 0.00001
        if pmu.polar {
            return (Double(bytes.uint16BE(at: offset) ?? 0) * scale, Double(int16(bytes, offset &+ 2)) / 10_000)
        }
        return (Double(int16(bytes, offset)) * scale, Double(int16(bytes, offset &+ 2)) * scale)
    }

    static func int16(_ bytes: Span<UInt8>, _ offset: Int) -> Int16 {
        Int16(bitPattern: bytes.uint16BE(at: offset) ?? 0)
    }

    static func float(_ bytes: Span<UInt8>, _ offset: Int) -> Float {
        Float(bitPattern: u32(bytes, offset) ?? 0)
    }
}
